"""A worker SIGKILLed mid-task: with acks_late (the project's setting) the task runs again on
the next worker; with acks_late off, the control, it is lost. Together they prove the setting.

No timing guesses: the probe task (tests/celery/kill_probe.py) writes a file when it starts
and waits for the test's "go" file, so the kill always lands mid-task; after the restart a
marker task queued behind it shows that the queue was read, and Redis is checked for any
message still held back for redelivery. Needs Redis (REDIS_URL), not PostgreSQL: the probe
touches no database.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
import redis
from django.conf import settings

from covidarnost.celery import app
from tests.celery.workers import wait_for, worker_process

pytestmark = [pytest.mark.redis]

PROBE = ("-I", "tests.celery.kill_probe")


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def _kill_mid_task_and_restart(redis_url: str, tmp_path: Path, env: dict) -> Path:
    """Run the probe, SIGKILL its worker while it runs, start a new worker; the probe's dir."""
    probe = tmp_path / "probe"
    probe.mkdir()
    log_path = tmp_path / "worker.log"
    with worker_process(redis_url, log_path, env=env, args=PROBE) as first:
        app.send_task("tests.kill_probe", args=[str(probe)])
        wait_for(lambda: _lines(probe / "started"), "the probe to start", log_path)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    assert not _lines(probe / "effect"), "the probe finished before the kill"
    # From now on a run of the probe finishes at once.
    (probe / "go").touch()
    with worker_process(redis_url, log_path, env=env, args=PROBE):
        app.send_task("tests.kill_marker", args=[str(probe)])
        wait_for(lambda: _lines(probe / "marker"), "the marker task", log_path)
        # Redelivery: the message held back as unacknowledged comes back after the visibility
        # timeout (2 s here); wait until Redis holds no such message, then no run is pending.
        client = redis.Redis.from_url(redis_url)
        wait_for(
            lambda: client.hlen("unacked") == 0 and client.llen("celery") == 0,
            "the broker to hold no message back",
            log_path,
        )
        if env.get("PROBE_ACKS_LATE") != "0":
            wait_for(lambda: _lines(probe / "effect"), "the redelivered probe", log_path)
    return probe


def test_acks_late_is_the_projects_setting():
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_with_acks_late_a_task_killed_mid_way_runs_again(redis_url, tmp_path):
    probe = _kill_mid_task_and_restart(redis_url, tmp_path, env={})

    assert len(_lines(probe / "started")) == 2
    assert len(_lines(probe / "effect")) == 1


def test_without_acks_late_a_task_killed_mid_way_is_lost(redis_url, tmp_path):
    probe = _kill_mid_task_and_restart(redis_url, tmp_path, env={"PROBE_ACKS_LATE": "0"})

    assert len(_lines(probe / "started")) == 1
    assert _lines(probe / "effect") == []
