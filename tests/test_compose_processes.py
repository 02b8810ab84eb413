"""Every process of docker-compose.yml, started from its own command and environment.

Docker is not on CI machines, so this runs each app service (migrate, web, worker, beat) as a
local process against the local PostgreSQL and Redis, and checks that each comes up healthy by
its own compose healthcheck. Only what must differ outside containers is replaced: the
`postgres`/`redis` host names by the local servers (a fresh database, the test's Redis db),
`/tmp/` by a temporary directory, the web port by a free one on loopback, and the executables
by this virtualenv's. If the compose file drifts from what runs, this fails.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg2
import pytest
import yaml
from django.conf import settings

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
APP_SERVICES = ["migrate", "web", "worker", "beat"]
LONG_RUNNING = ["web", "worker", "beat"]
HEALTHY_WITHIN_SECONDS = 90
_VARIABLE = re.compile(
    r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<op>[-?])(?P<arg>[^}]*))?\}"
)


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error} and $$ for a literal $."""

    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        found = variables.get(name, "")
        if op == "-":
            return found or arg
        if op == "?" and not found:
            raise AssertionError(f"compose needs {name}: {arg}")
        return found

    return _VARIABLE.sub(replace, value)


def test_interpolation_follows_compose():
    assert interpolate("${A:-x}/${B:-y}/$${C}", {"A": "a"}) == "a/y/${C}"
    with pytest.raises(AssertionError, match="set it"):
        interpolate("${SECRET:?set it}", {})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_url() -> str:
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs Redis: set REDIS_URL (CI does)")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis does not answer")
    return url


def _admin_dsn(database: str) -> dict:
    db = settings.DATABASES["default"]
    return {
        "dbname": database,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
    }


@pytest.fixture
def fresh_database():
    """An empty database for `migrate` to build, dropped afterwards."""
    name = f"cv_compose_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(**_admin_dsn("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    yield f"postgres://{db['USER']}{password}@{host}:{port}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


class Deployment:
    """The compose app services as local processes."""

    def __init__(self, tmp_path: Path, database_url: str, redis_url: str):
        self.compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
        self.tmp = tmp_path
        self.database_url = database_url
        self.redis_url = redis_url
        self.port = _free_port()
        self.host_variables = {
            "SECRET_KEY": "compose-test-" + uuid.uuid4().hex * 2,
            "DOMAIN": "localhost",
            # No default passwords in the compose file: the host must give them.
            "POSTGRES_PASSWORD": uuid.uuid4().hex,
            "REDIS_PASSWORD": uuid.uuid4().hex,
        }
        self.processes: dict[str, subprocess.Popen] = {}

    def _localize(self, text: str) -> str:
        # The containers' own /tmp; shared on this machine, so a private one per test.
        return text.replace("/tmp/", f"{self.tmp}/")  # noqa: S108

    def environment(self, name: str) -> dict[str, str]:
        service = self.compose["services"][name]
        env = {
            key: interpolate(str(value), self.host_variables)
            for key, value in service["environment"].items()
        }
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://:")
        assert "@redis:6379/" in env["REDIS_URL"]
        env["DATABASE_URL"] = self.database_url
        env["REDIS_URL"] = self.redis_url
        env["MEDIA_ROOT"] = str(self.tmp / "media")
        if "PORT" in env:
            env["PORT"] = str(self.port)
            env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
        return {
            "PATH": f"{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(self.tmp),
            "LANG": "C.UTF-8",
            # What a container sets; the worker names itself celery@<host name>.
            "HOSTNAME": socket.gethostname(),
            **env,
        }

    def command(self, name: str) -> list[str]:
        command = self.compose["services"][name]["command"]
        words = command if isinstance(command, list) else shlex.split(command)
        words = [self._localize(interpolate(str(word), self.host_variables)) for word in words]
        executable = sys.executable if words[0] == "python" else str(BIN / words[0])
        return [executable, *words[1:]]

    def run_once(self, name: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - the compose file's own command
            self.command(name),
            cwd=ROOT,
            env=self.environment(name),
            capture_output=True,
            text=True,
            timeout=300,
        )

    def start(self, name: str) -> None:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(  # noqa: S603 - the compose file's own command
            self.command(name),
            cwd=ROOT,
            env=self.environment(name),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def healthcheck(self, name: str) -> subprocess.CompletedProcess:
        test = self.compose["services"][name]["healthcheck"]["test"]
        # Compose turns $$ into $ before the container's shell sees it.
        words = [self._localize(interpolate(str(word), {})) for word in test[1:]]
        if test[0] == "CMD-SHELL":
            argv = ["sh", "-c", words[0]]
        else:
            argv = [sys.executable if words[0] == "python" else str(BIN / words[0]), *words[1:]]
        return subprocess.run(  # noqa: S603 - the compose file's own healthcheck
            argv,
            cwd=ROOT,
            env=self.environment(name),
            capture_output=True,
            text=True,
            timeout=60,
        )

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def deployment(tmp_path, fresh_database):
    redis_url = _redis_url()
    deployment = Deployment(tmp_path, fresh_database, redis_url)
    yield deployment
    deployment.stop()


def _wait_healthy(deployment: Deployment, name: str, deadline: float) -> None:
    last = None
    while time.monotonic() < deadline:
        process = deployment.processes[name]
        assert process.poll() is None, f"{name} exited:\n{deployment.log(name)[-3000:]}"
        last = deployment.healthcheck(name)
        if last.returncode == 0:
            return
        time.sleep(1)
    raise AssertionError(
        f"{name} not healthy: {last and (last.stdout + last.stderr)[-1500:]}\n"
        f"{deployment.log(name)[-3000:]}"
    )


def test_every_compose_process_comes_up_healthy(deployment):
    assert set(APP_SERVICES) <= set(deployment.compose["services"])

    migrated = deployment.run_once("migrate")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "Applying requests.0001" in migrated.stdout

    for name in LONG_RUNNING:
        deployment.start(name)
    deadline = time.monotonic() + HEALTHY_WITHIN_SECONDS
    for name in LONG_RUNNING:
        _wait_healthy(deployment, name, deadline)

    # The web healthcheck passed through /healthz; it reports both dependencies as answering.
    request = urllib.request.Request(
        f"http://127.0.0.1:{deployment.port}/healthz", headers={"Host": "localhost"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
        assert json.load(response) == {
            "status": "ok",
            "checks": {"database": "ok", "redis": "ok"},
        }
    # gunicorn's access log is JSON lines, without the client address.
    time.sleep(0.5)
    access = [
        json.loads(line)
        for line in deployment.log("web").splitlines()
        if line.startswith("{") and '"gunicorn.access"' in line
    ]
    assert any(entry["path"] == "/healthz" and entry["status"] == 200 for entry in access)
    assert "127.0.0.1" not in "".join(json.dumps(entry) for entry in access)
    # Exactly one beat: it wrote its pid where the healthcheck reads it.
    assert (deployment.tmp / "celerybeat.pid").exists()
