"""Offers by Telegram: sendMessage to the fake Bot API, inline buttons, retries and fallback."""

import pytest
from django.core import mail

from notifications.backends.base import TransientNotificationError
from notifications.models import NotificationLog
from notifications.services import notify_user
from tests.notifications.conftest import BOT_TOKEN
from volunteers.models import NotificationChannel


@pytest.fixture
def telegram_volunteer(volunteer):
    volunteer.notification_channel = NotificationChannel.TELEGRAM
    volunteer.telegram_chat_id = "987654321"
    volunteer.save()
    return volunteer


def _notify_offer(volunteer, offer, key="offer-1"):
    return notify_user(user_id=volunteer.user_id, message="offer", key=key, offer_id=offer.pk)


def test_offer_goes_to_the_linked_chat_with_inline_claim_and_decline_buttons(
    fake_telegram, telegram_volunteer, offer, personal_data
):
    assert _notify_offer(telegram_volunteer, offer) is True

    assert fake_telegram.methods() == ["sendMessage"]
    sent = fake_telegram.requests[0]
    assert sent["path"] == f"/bot{BOT_TOKEN}/sendMessage"
    body = sent["json"]
    assert body["chat_id"] == "987654321"
    keyboard = body["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == [
        f"claim:{offer.pk}",
        f"decline:{offer.pk}",
    ]
    assert f"/tasks/{offer.help_request_id}/" in body["text"]
    for value in personal_data:
        assert value not in str(body)
    assert mail.outbox == []
    assert NotificationLog.objects.get(key="offer-1").channel == "telegram"


def test_same_key_sends_once(fake_telegram, telegram_volunteer, offer):
    _notify_offer(telegram_volunteer, offer)
    assert _notify_offer(telegram_volunteer, offer) is False

    assert fake_telegram.methods() == ["sendMessage"]


@pytest.mark.parametrize("status", [500, 502, 429])
def test_server_error_or_rate_limit_is_transient_and_leaves_no_log(
    fake_telegram, telegram_volunteer, offer, status
):
    fake_telegram.responses.append((status, {"ok": False}))

    with pytest.raises(TransientNotificationError):
        _notify_offer(telegram_volunteer, offer)

    assert not NotificationLog.objects.exists()
    assert mail.outbox == []
    # The retry goes through and is logged once.
    assert _notify_offer(telegram_volunteer, offer) is True
    assert NotificationLog.objects.count() == 1


def test_unreachable_api_is_transient_and_the_error_hides_the_token(
    telegram_volunteer, offer, settings
):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    settings.TELEGRAM_API_URL = f"http://127.0.0.1:{free_port}"
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN

    with pytest.raises(TransientNotificationError) as excinfo:
        _notify_offer(telegram_volunteer, offer)

    assert BOT_TOKEN not in str(excinfo.value)
    assert not NotificationLog.objects.exists()


def test_bot_blocked_by_user_falls_back_to_email(fake_telegram, telegram_volunteer, offer):
    fake_telegram.responses.append((403, {"ok": False, "description": "bot was blocked"}))

    assert _notify_offer(telegram_volunteer, offer) is True

    assert len(mail.outbox) == 1
    assert NotificationLog.objects.get(key="offer-1").channel == "email"


def test_unconfigured_bot_falls_back_to_email(telegram_volunteer, offer, settings):
    settings.TELEGRAM_BOT_TOKEN = ""

    _notify_offer(telegram_volunteer, offer)

    assert NotificationLog.objects.get(key="offer-1").channel == "email"
