"""End to end with a real Redis and a real `celery worker` process (PostgreSQL only: the
worker is another process and must see the test database's committed rows).

Skipped without REDIS_URL or when Redis does not answer.
"""

from __future__ import annotations

import signal
import time

import psycopg2
import pytest
from django.db import connection

from notifications.models import NotificationLog
from requests import services
from requests.models import Offer
from tests.celery.workers import wait_for, worker_process

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


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
        wait_for(lambda: _offer_log(help_request) is not None, "the offer notification", log_path)

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
            wait_for(
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
            wait_for(
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
