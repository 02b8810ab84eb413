"""The channel interface: one backend class per channel, each with a `send` method.

Backends receive texts that already hold ids and links only. They never log the text or the
address they send to (chat id, phone, email): log lines carry the message kind and ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string


class NotificationError(Exception):
    """A message could not be sent. The text of the exception holds no personal data."""


class TransientNotificationError(NotificationError):
    """Worth retrying later: timeout, connection error, HTTP 5xx or 429."""


class PermanentNotificationError(NotificationError):
    """Retrying will not help (chat blocked the bot, number rejected): try another channel."""


@dataclass(frozen=True)
class Button:
    """An answer button. Telegram shows it inline; other channels show links instead."""

    label: str
    callback_data: str


@dataclass(frozen=True)
class Recipient:
    """Where one user can be reached. Addresses stay inside the backends."""

    user_id: int
    email: str = ""
    phone: str = ""
    telegram_chat_id: str = ""


@dataclass(frozen=True)
class SendContext:
    """What a backend may log about a message: its kind and ids, nothing else."""

    kind: str = ""
    subject: str = ""
    help_request_id: str | None = None
    offer_id: str | None = None
    extra: dict = field(default_factory=dict)

    def log_ids(self) -> str:
        return f"kind={self.kind} help_request={self.help_request_id} offer={self.offer_id}"


class BaseBackend:
    channel: str = ""

    def can_send(self, recipient: Recipient) -> bool:
        """Whether this channel is configured and the recipient has an address on it."""
        raise NotImplementedError

    def send(
        self,
        recipient: Recipient,
        text: str,
        buttons: Sequence[Button] = (),
        *,
        context: SendContext | None = None,
    ) -> None:
        """Deliver one message or raise a NotificationError subclass."""
        raise NotImplementedError


def get_backend(channel: str) -> BaseBackend:
    """The backend configured for a channel in settings.NOTIFICATIONS["BACKENDS"]."""
    path = settings.NOTIFICATIONS["BACKENDS"][channel]
    return import_string(path)()
