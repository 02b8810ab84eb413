"""Development channel: writes a log line with the message kind and ids, never the text."""

import logging

from notifications.backends.base import BaseBackend

logger = logging.getLogger("notifications.console")


class ConsoleBackend(BaseBackend):
    channel = "console"

    def can_send(self, recipient) -> bool:
        return True

    def send(self, recipient, text, buttons=(), *, context=None) -> None:
        ids = context.log_ids() if context else ""
        logger.info("notification channel=console user=%s %s", recipient.user_id, ids)
