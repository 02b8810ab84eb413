"""A real `celery worker` process for the tests that need one (tests/celery/test_worker*.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 30


def redis_url_or_skip() -> str:
    # The run's own Redis database (REDIS_URL): a fixed number shared by every checkout on
    # the machine let one run's worker take another run's tasks.
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs Redis: set REDIS_URL (CI does)")
    return url


def database_env() -> dict:
    """The test database, for a worker in another process: PostgreSQL only (an in-memory
    SQLite test database is not reachable from elsewhere; tests that need rows are marked
    postgres)."""
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        return {}
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return {
        "DATABASE_URL": f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"
    }


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool's children at once, as a crash or the OOM killer would
    (a prefork child outliving its parent would finish the task)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@contextmanager
def worker_process(
    redis_url: str,
    log_path: Path,
    *,
    env: dict | None = None,
    args: tuple[str, ...] = (),
    pool: str = "solo",
):
    """Start `celery worker` in its own process group. The solo pool runs the task in the
    worker process itself; prefork (one child here) in a child, like production."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "covidarnost.settings",
        "SECRET_KEY": "worker-test-secret-key-0123456789-0123456789-0123456789",
        **database_env(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CONN_MAX_AGE": "0",
        # A killed worker's unacknowledged task comes back after this (production: hours).
        "CELERY_VISIBILITY_TIMEOUT": "2",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        **(env or {}),
    }
    with open(log_path, "ab") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "covidarnost",
                "worker",
                f"--pool={pool}",
                "--concurrency=1",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "--loglevel=INFO",
                *args,
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        kill_worker(process)


def wait_for(predicate, what: str, log_path: Path, seconds: float = WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    log = log_path.read_text() if log_path.exists() else ""
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log[-3000:]}")
