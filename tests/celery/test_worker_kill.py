"""A worker SIGKILLed mid-task: with acks_late (the project's setting) the task runs again on
the next worker; with acks_late off, the control, it is lost. Together they prove the setting.

The prefork pool, as in production (docker-compose.yml): with the solo pool the task blocks
the worker's event loop, and Celery 5.7 sends even an early acknowledgement from that loop
(Consumer.call_soon_ack), so it would only leave after the task and the control could not
lose anything.

No timing guesses: the probe task (tests/celery/kill_probe.py) writes a file when it starts
and waits for the test's "go" file, so the kill always lands mid-task, at a moment the test
checks in Redis (the message still held for redelivery, or already acknowledged). After the
restart a marker task queued behind it shows that the queue was read, and Redis must hold no
message back. Needs Redis (REDIS_URL), not PostgreSQL: the probe touches no database.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from django.conf import settings

from covidarnost.celery import app
from tests.celery.workers import kill_worker, wait_for, worker_process

pytestmark = [pytest.mark.redis]

PROBE = ("-I", "tests.celery.kill_probe")


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def _kill_mid_task_and_restart(redis_url: str, tmp_path: Path, *, acks_late: bool) -> Path:
    """Run the probe, SIGKILL its worker while it runs, start a new worker; the probe's dir."""
    env = {} if acks_late else {"PROBE_ACKS_LATE": "0"}
    probe = tmp_path / "probe"
    probe.mkdir()
    log_path = tmp_path / "worker.log"
    broker = redis.Redis.from_url(redis_url)
    with worker_process(redis_url, log_path, env=env, args=PROBE, pool="prefork") as first:
        app.send_task("tests.kill_probe", args=[str(probe)])
        wait_for(lambda: _lines(probe / "started"), "the probe to start", log_path)
        held = 1 if acks_late else 0
        # acks_late: the message stays held until the task ends; otherwise it is acknowledged
        # as the task starts (from the worker's main process, a moment after the child began).
        wait_for(lambda: broker.hlen("unacked") == held, f"{held} message(s) held", log_path)
        kill_worker(first)
    assert not _lines(probe / "effect"), "the probe finished before the kill"
    # From now on a run of the probe finishes at once.
    (probe / "go").touch()
    with worker_process(redis_url, log_path, env=env, args=PROBE, pool="prefork"):
        if acks_late:
            # Redelivered once the visibility timeout (2 s here) has passed.
            wait_for(lambda: _lines(probe / "effect"), "the redelivered probe", log_path)
        app.send_task("tests.kill_marker", args=[str(probe)])
        wait_for(lambda: _lines(probe / "marker"), "the marker task", log_path)
        wait_for(
            lambda: broker.hlen("unacked") == 0 and broker.llen("celery") == 0,
            "the broker to hold no message back",
            log_path,
        )
    return probe


def test_acks_late_is_the_projects_setting():
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_with_acks_late_a_task_killed_mid_way_runs_again(redis_url, tmp_path):
    probe = _kill_mid_task_and_restart(redis_url, tmp_path, acks_late=True)

    assert len(_lines(probe / "started")) == 2
    assert len(_lines(probe / "effect")) == 1


def test_without_acks_late_a_task_killed_mid_way_is_lost(redis_url, tmp_path):
    probe = _kill_mid_task_and_restart(redis_url, tmp_path, acks_late=False)

    assert len(_lines(probe / "started")) == 1
    assert _lines(probe / "effect") == []
