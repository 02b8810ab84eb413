"""Notification channels, chosen per user like Django's EMAIL_BACKEND is chosen per site."""

from notifications.backends.base import (
    BaseBackend,
    Button,
    NotificationError,
    PermanentNotificationError,
    Recipient,
    TransientNotificationError,
    get_backend,
)

__all__ = [
    "BaseBackend",
    "Button",
    "NotificationError",
    "PermanentNotificationError",
    "Recipient",
    "TransientNotificationError",
    "get_backend",
]
