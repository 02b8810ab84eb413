"""Logs of the notification paths hold ids only: no chat ids, phones, tokens or texts."""

import json
import logging

from notifications.services import notify_user
from tests.notifications.conftest import BOT_TOKEN, SMS_SECRET, WEBHOOK_SECRET
from volunteers.models import NotificationChannel

PHONE = "+79215550101"
CHAT_ID = "424242424"


def test_telegram_and_sms_paths_log_no_addresses_or_secrets(
    client, fake_telegram, fake_sms, volunteer, offer, personal_data, caplog
):
    volunteer.notification_channel = NotificationChannel.TELEGRAM
    volunteer.telegram_chat_id = CHAT_ID
    volunteer.save()
    volunteer.user.phone = PHONE
    volunteer.user.save()
    fake_telegram.responses.append((403, {"ok": False}))  # forces the email fallback path too

    with caplog.at_level(logging.DEBUG):
        notify_user(user_id=volunteer.user_id, message="offer", key="o1", offer_id=offer.pk)
        client.post(
            "/notifications/telegram/webhook/",
            json.dumps(
                {"callback_query": {"id": "c", "from": {"id": int(CHAT_ID)}, "data": "x:1"}}
            ),
            content_type="application/json",
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        )
        client.post(
            "/notifications/sms/inbound/",
            json.dumps({"from": PHONE, "text": offer.short_code}),
            content_type="application/json",
            headers={"X-SMS-Secret": SMS_SECRET},
        )

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert str(offer.pk) in logged
    for secret in [CHAT_ID, PHONE, BOT_TOKEN, volunteer.user.email, *personal_data]:
        assert secret not in logged
