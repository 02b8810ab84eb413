"""manage.py telegram_set_webhook registers the webhook URL and secret with the Bot API."""

import pytest
from django.core.management import CommandError, call_command

from tests.notifications.conftest import WEBHOOK_SECRET


def test_registers_webhook_with_secret(fake_telegram, settings):
    settings.SITE_URL = "https://help.example.org"

    call_command("telegram_set_webhook")

    assert fake_telegram.methods() == ["setWebhook"]
    body = fake_telegram.requests[0]["json"]
    assert body["url"] == "https://help.example.org/notifications/telegram/webhook/"
    assert body["secret_token"] == WEBHOOK_SECRET


def test_refuses_without_a_secret(fake_telegram, settings):
    settings.TELEGRAM_WEBHOOK_SECRET = ""

    with pytest.raises(CommandError):
        call_command("telegram_set_webhook")
    assert fake_telegram.requests == []


def test_reports_a_refusal(fake_telegram):
    fake_telegram.responses.append((400, {"ok": False}))

    with pytest.raises(CommandError):
        call_command("telegram_set_webhook")
