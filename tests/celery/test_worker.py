"""End to end with a real Redis and a real `celery worker` process (PostgreSQL only: the
worker is another process and must see the test database's committed rows).

Skipped without REDIS_URL or when Redis does not answer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from notifications.models import NotificationLog
from requests import services
from requests.models import Offer

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 30


def _redis_url() -> str:
    # The run's own Redis database (REDIS_URL): a fixed number shared by every checkout on
    # the machine let one run's worker take another run's tasks.
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs Redis: set REDIS_URL (CI does)")
    return url


@pytest.fixture
def redis_url(celery_broker):
    import redis

    url = _redis_url()
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis does not answer")
    celery_broker(url)
    yield url
    client.flushdb()


def _database_url() -> str:
    settings = connection.settings_dict
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"


@contextmanager
def worker_process(redis_url: str, log_path: Path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "covidarnost.settings",
        "SECRET_KEY": "worker-test-secret-key-0123456789-0123456789-0123456789",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CONN_MAX_AGE": "0",
        # A killed worker's unacknowledged task comes back after this (production: hours).
        "CELERY_VISIBILITY_TIMEOUT": "2",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
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
                "--pool=solo",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)


def _wait_for(predicate, what: str, log_path: Path):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log_path.read_text()[-3000:]}")


def _create_request(operator, block):
    help_request, _created = services.help_request_create(
        created_by=operator,
        block=block,
        kind="groceries",
        details="Хлеб",
        source="phone",
        neighbor_data={"name": "Анна", "flat": "5"},
    )
    return help_request


def _offer_log(help_request):
    offer = Offer.objects.filter(help_request=help_request).first()
    if offer is None:
        return None
    return NotificationLog.objects.filter(key=f"offer:{offer.pk}").first()


def test_worker_makes_the_offer_and_records_the_notification(
    redis_url, operator, block, volunteer, tmp_path
):
    log_path = tmp_path / "worker.log"
    with worker_process(redis_url, log_path):
        help_request = _create_request(operator, block)
        _wait_for(lambda: _offer_log(help_request) is not None, "the offer notification", log_path)

    offer = Offer.objects.get(help_request=help_request)
    assert offer.volunteer == volunteer
    assert _offer_log(help_request).recipient_id == volunteer.user_id


def _other_backend():
    settings = connection.settings_dict
    return psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )


def _backends_waiting_for_a_lock(cursor) -> list[int]:
    cursor.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    )
    return [row[0] for row in cursor.fetchall()]


def test_worker_killed_mid_task_runs_it_again_and_notifies_once(
    redis_url, operator, block, volunteer, tmp_path
):
    log_path = tmp_path / "worker.log"
    locker = _other_backend()
    watcher = _other_backend()
    watcher.autocommit = True
    try:
        # Hold the notification table: the worker makes the offer, then stops right before
        # recording the notification, in the middle of the task.
        with locker.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {NotificationLog._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        with worker_process(redis_url, log_path) as first, watcher.cursor() as watch:
            help_request = _create_request(operator, block)
            _wait_for(
                lambda: (
                    Offer.objects.filter(help_request=help_request).exists()
                    and _backends_waiting_for_a_lock(watch)
                ),
                "the worker to block after making the offer",
                log_path,
            )
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            # The dead worker's database session goes too, as after a real crash.
            for pid in _backends_waiting_for_a_lock(watch):
                watch.execute("SELECT pg_terminate_backend(%s)", [pid])
        locker.rollback()
        assert _offer_log(help_request) is None

        with worker_process(redis_url, log_path):
            _wait_for(
                lambda: _offer_log(help_request) is not None,
                "the redelivered task to send the notification",
                log_path,
            )
            # Give a duplicate delivery the time to show up.
            time.sleep(3)
    finally:
        locker.close()
        watcher.close()

    assert Offer.objects.filter(help_request=help_request).count() == 1
    offer = Offer.objects.get(help_request=help_request)
    assert NotificationLog.objects.filter(key__startswith="offer:").count() == 1
    assert NotificationLog.objects.get(key=f"offer:{offer.pk}").recipient_id == volunteer.user_id
