"""Telegram link and unlink are volunteer writes: they live in volunteers.services."""

import re
from pathlib import Path

import pytest

from notifications import inbound
from volunteers.models import NotificationChannel
from volunteers.services import volunteer_link_telegram, volunteer_unlink_telegram

pytestmark = pytest.mark.django_db


def test_inbound_calls_the_volunteer_services_and_writes_no_volunteer_row():
    assert inbound.volunteer_link_telegram.__module__ == "volunteers.services"
    assert inbound.volunteer_unlink_telegram.__module__ == "volunteers.services"
    source = Path(inbound.__file__).read_text()
    assert not re.search(r"Volunteer\.objects\.[^\n]*\.update\(|volunteer\.save\(", source)


def test_linking_moves_the_chat_and_unlinking_falls_back_to_email(volunteer, second_volunteer):
    volunteer_link_telegram(user_id=second_volunteer.user_id, chat_id="42")
    linked = volunteer_link_telegram(user_id=volunteer.user_id, chat_id="42")

    second_volunteer.refresh_from_db()
    assert linked.telegram_chat_id == "42"
    assert linked.notification_channel == NotificationChannel.TELEGRAM
    assert second_volunteer.telegram_chat_id == ""

    assert volunteer_unlink_telegram(chat_id="42") == 1
    volunteer.refresh_from_db()
    assert (volunteer.telegram_chat_id, volunteer.notification_channel) == ("", "email")
