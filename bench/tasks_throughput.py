"""Throughput of /tasks/ and GET /api/v1/tasks/ against the floor of this stack, with wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/covidarnost_bench \
        .venv/bin/python bench/tasks_throughput.py [--duration 10] [--connections 50]

Migrates the database and loads the demo (`seed_demo`), collects static files, starts gunicorn
(2 sync workers, production settings over plain HTTP on loopback, access log off) with
bench/floor/floor_settings.py: the project's settings plus /bench/floor/, a signed-in page that
does nothing. Then, signed in as volunteer1 (a session cookie for the pages, an API token for
the API), wrk runs each URL for --duration seconds with --connections connections after a short
warm-up, and the script prints requests/s, p50/p90/p99 latency, responses other than 200, and
each URL's ratio to the floor. REDIS_URL, when set, is the cache (as in production: the task
lists are cached only with Redis). Needs wrk (apt-get install -y wrk). Takes both CPUs for about
4 × (duration + warm-up) seconds.
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR_DIR = ROOT / "bench" / "floor"
BIN = Path(sys.executable).parent
PAGES = [
    ("floor (signed in, does nothing)", "/bench/floor/", "session"),
    ("/tasks/", "/tasks/", "session"),
    ("GET /api/v1/tasks/", "/api/v1/tasks/", "token"),
]


def bench_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="floor_settings",
        PYTHONPATH=f"{FLOOR_DIR}:{ROOT}",
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-" + secrets.token_urlsafe(48),
        # wrk speaks plain HTTP on loopback; production sits behind a TLS proxy.
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(ROOT / "build" / "bench-static"),
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESS_LOG="0",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def credentials(env: dict[str, str]) -> tuple[str, str]:
    """A session key and an API token for volunteer1, made with the server's own settings."""
    script = """
from django.test import Client
from users.models import User
user = User.objects.get(username="volunteer1")
client = Client()
client.force_login(user)
from django.apps import apps
if apps.is_installed("knox"):
    from knox.models import AuthToken
    token = AuthToken.objects.create(user)[1]
else:
    from rest_framework.authtoken.models import Token
    token = Token.objects.get_or_create(user=user)[0].key
print(client.cookies["sessionid"].value, token)
"""
    output = manage(env, "shell", "-v", "0", "-c", script)
    session, token = output.split()[-2:]
    return session, token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn exited; see its output above")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 - loopback
                return
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.3)
    sys.exit("gunicorn did not answer /healthz in 60 s")


def fetch(url: str, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        return response.status, response.read()


def run_wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> dict:
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    argv += ["-s", str(FLOOR_DIR / "status.lua")]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603 - fixed arguments
        [*argv, url], check=True, capture_output=True, text=True
    ).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for key in ("NOT_200", "P50_US", "P90_US", "P99_US"):
        figures[key] = int(re.search(rf"^{key} (\d+)$", output, re.M).group(1))
    errors = re.search(r"Socket errors: (.*)$", output, re.M)
    figures["socket_errors"] = errors.group(1) if errors else "none"
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--warmup", type=int, default=2, help="seconds per URL, not counted")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reseed", action="store_true", help="run seed_demo again")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database (it is migrated and seeded)")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")

    # A TERM (timeout, Ctrl-C from a wrapper) still stops gunicorn through the finally below.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit("terminated"))
    env = bench_environment()
    print("migrating, loading the demo, collecting static files…", flush=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    seeded = (
        "volunteer1"
        in manage(
            env,
            "shell",
            "-v",
            "0",
            "-c",
            "from users.models import User; print(*User.objects.values_list('username', flat=1))",
        ).split()
    )
    if args.reseed or not seeded:
        manage(env, "seed_demo", "--password", "demo12345", "--force")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    session, token = credentials(env)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(BIN / "gunicorn"),
            "covidarnost.wsgi",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            str(args.workers),
            "--threads",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env={**env, "WEB_CONCURRENCY": str(args.workers)},
    )
    results = []
    try:
        wait_until_up(base, server)
        auth = {
            "session": {"Cookie": f"sessionid={session}"},
            "token": {"Authorization": f"Token {token}"},
        }
        for label, path, kind in PAGES:
            status, body = fetch(base + path, auth[kind])
            assert status == 200, (path, status)
            if path == "/tasks/":
                assert b'class="tasks"' in body, "not the volunteer's task list"
            size = (len(body), len(gzip.compress(body)))
            run_wrk(base + path, auth[kind], args.warmup, args.connections)
            figures = run_wrk(base + path, auth[kind], args.duration, args.connections)
            results.append((label, size, figures))
    finally:
        server.terminate()
        server.wait(timeout=30)

    floor = results[0][2]["rps"]
    load = os.getloadavg()
    print()
    print(
        f"{datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs, "
        f"load after {load[0]:.2f}; gunicorn {args.workers} sync workers; "
        f"wrk {args.connections} connections, {args.duration} s per URL"
    )
    print(
        f"{'URL':34} {'req/s':>8} {'× floor':>8} {'p50':>8} {'p90':>8} {'p99':>8} "
        f"{'not 200':>8} {'bytes':>7} {'gzip':>6}"
    )
    for label, (raw, packed), figures in results:
        print(
            f"{label:34} {figures['rps']:8.0f} {figures['rps'] / floor:8.2f} "
            f"{figures['P50_US'] / 1000:6.1f}ms {figures['P90_US'] / 1000:6.1f}ms "
            f"{figures['P99_US'] / 1000:6.1f}ms {figures['NOT_200']:8d} {raw:7d} {packed:6d}"
        )
        if figures["socket_errors"] != "none":
            print(f"  socket errors: {figures['socket_errors']}")
    for label, _size, figures in results[1:]:
        clean = figures["NOT_200"] == 0 and figures["socket_errors"] == "none"
        fast = figures["rps"] >= 0.5 * floor and figures["P99_US"] < 150_000
        verdict = "meets" if fast and clean else "misses"
        print(
            f"{label}: {figures['rps'] / floor:.2f}× the floor, {verdict} the target "
            f"(≥ 0.5×, p99 < 150 ms, every answer a 200 in time: {clean})"
        )


if __name__ == "__main__":
    main()
