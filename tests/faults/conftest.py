"""A real gunicorn (and, when asked, a Celery worker and a private redis-server) on the test
database, for faults that the test client cannot show: connections that die, Redis that stops.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def app_environment(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_URL", "CELERY_", "TASK_LIST"))
    }
    env.update(
        # Production settings but for unhashed static files (see live_settings.py).
        DJANGO_SETTINGS_MODULE="tests.faults.live_settings",
        DEBUG="0",
        # The test's own key: sessions made by the test are valid in the app.
        SECRET_KEY=settings.SECRET_KEY,
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url(),
        CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
        # The API's own limits are tested elsewhere; here they must not interfere.
        API_THROTTLE_CREATE_USER="100000/min",
        API_THROTTLE_CREATE_IP="100000/min",
        API_THROTTLE_AUTH_IP="100000/min",
        API_THROTTLE_AUTH_FAILURES="100000/hour",
        # The second factor is tested in tests/security; these tests sign the operator in
        # through the API, as the documented exemption for named accounts allows.
        TWO_FACTOR_EXEMPT_USERNAMES="operator",
        PASSWORD_HASHERS="django.contrib.auth.hashers.MD5PasswordHasher",
    )
    env.update(extra)
    return env


class LiveApp:
    def __init__(self, port: int, process: subprocess.Popen, log: Path):
        self.base = f"http://127.0.0.1:{port}"
        self.process = process
        self.log = log

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        """(status, headers, body) for any answer, errors included."""
        request = urllib.request.Request(  # noqa: S310 - loopback
            self.base + path, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


@contextmanager
def live_app(tmp_path: Path, **env: str):
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with open(log, "ab") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [str(BIN / "gunicorn"), "covidarnost.wsgi", "--config", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=app_environment(
                GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1", GUNICORN_THREADS="1", **env
            ),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    app = LiveApp(port, process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                if app.request("GET", "/healthz")[0] in (200, 503):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        yield app
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def private_redis(tmp_path: Path, port: int | None = None):
    """A redis-server of this test only (never the shared one), stoppable at will."""
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("needs redis-server")
    port = port or free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(port=port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.RedisError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.1)
        yield port, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
