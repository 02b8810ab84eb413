"""SMS channel through a configurable HTTP gateway. Texts carry the offer's reply code."""

import logging

from notifications import sms
from notifications.backends.base import BaseBackend

logger = logging.getLogger(__name__)


class SmsBackend(BaseBackend):
    channel = "sms"

    def can_send(self, recipient) -> bool:
        return sms.is_configured() and bool(recipient.phone)

    def send(self, recipient, text, buttons=(), *, context=None) -> None:
        sms.send_sms(recipient.phone, text)
        logger.info("notification channel=sms user=%s sent", recipient.user_id)
