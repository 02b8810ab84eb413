"""Email through Django's email framework (EMAIL_BACKEND / EMAIL_URL)."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from notifications.backends.base import (
    BaseBackend,
    PermanentNotificationError,
    TransientNotificationError,
)

logger = logging.getLogger(__name__)


class EmailBackend(BaseBackend):
    channel = "email"

    def can_send(self, recipient) -> bool:
        return bool(recipient.email)

    def send(self, recipient, text, buttons=(), *, context=None) -> None:
        subject = (context.subject if context else "") or settings.NOTIFICATIONS["EMAIL_SUBJECT"]
        message = EmailMessage(
            subject=str(subject),
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
        )
        try:
            message.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentNotificationError("email recipient refused") from exc
        except (smtplib.SMTPException, OSError) as exc:
            # Connection refused, timeouts, 4xx from the relay: worth a retry.
            raise TransientNotificationError(f"email not sent: {type(exc).__name__}") from exc
        logger.info("notification channel=email user=%s sent", recipient.user_id)
