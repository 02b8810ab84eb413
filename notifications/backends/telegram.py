"""Telegram channel: a private message from the bot, with inline answer buttons."""

import logging

from notifications import telegram
from notifications.backends.base import BaseBackend

logger = logging.getLogger(__name__)


class TelegramBackend(BaseBackend):
    channel = "telegram"

    def can_send(self, recipient) -> bool:
        return telegram.is_configured() and bool(recipient.telegram_chat_id)

    def send(self, recipient, text, buttons=(), *, context=None) -> None:
        telegram.send_message(recipient.telegram_chat_id, text, buttons)
        logger.info("notification channel=telegram user=%s sent", recipient.user_id)
