"""NotificationLog moved from requests to notifications without losing a row."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.models import NotificationLog

BEFORE = [("requests", "0004_source_in_person"), ("notifications", None)]


@pytest.mark.django_db(transaction=True)
def test_rows_sent_before_the_move_are_still_there_after_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_state = executor.loader.project_state([BEFORE[0]])
    OldLog = old_state.apps.get_model("requests", "NotificationLog")
    OldLog.objects.create(key="offer:before-the-move", channel="email")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert NotificationLog._meta.db_table == "notifications_notificationlog"
    log = NotificationLog.objects.get(key="offer:before-the-move")
    assert log.channel == "email"
    # The key still makes a second send impossible.
    assert NotificationLog._meta.get_field("key").unique
