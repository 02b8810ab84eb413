"""Two workers sending the same key at once: one sends, the other waits and then skips."""

import threading
import time

import pytest
from django.db import connection

from notifications.backends.console import ConsoleBackend
from notifications.models import NotificationLog
from notifications.services import notify_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

sent: list[int] = []
release = threading.Event()
entered = threading.Event()


class SlowConsoleBackend(ConsoleBackend):
    def send(self, recipient, text, buttons=(), *, context=None):
        entered.set()
        release.wait(timeout=10)
        sent.append(recipient.user_id)


def _a_session_waits_on_a_lock() -> bool:
    """Poll pg_stat_activity until some backend waits on a lock (the unique key), or give up."""
    for _attempt in range(200):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


def test_same_key_from_two_threads_is_sent_once(volunteer, settings):
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "BACKENDS": {
            **settings.NOTIFICATIONS["BACKENDS"],
            "email": f"{__name__}.SlowConsoleBackend",
        },
    }
    sent.clear()
    release.clear()
    entered.clear()
    results = {}

    def worker(name):
        try:
            results[name] = notify_user(
                user_id=volunteer.user_id, message="checkin_list", key="checkin:1"
            )
        finally:
            connection.close()

    first = threading.Thread(target=worker, args=("first",))
    first.start()
    assert entered.wait(timeout=10)
    # The first worker holds the uncommitted key; the second must block on it, not send.
    second = threading.Thread(target=worker, args=("second",))
    second.start()
    assert _a_session_waits_on_a_lock()
    release.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert sorted(results.values()) == [False, True]
    assert sent == [volunteer.user_id]
    assert NotificationLog.objects.filter(key="checkin:1").count() == 1
