"""Outbound HTTP for the Telegram and SMS channels: short timeouts, errors sorted by retry-ability.

Exception texts never include the URL (Bot API URLs hold the bot token) or the body.
"""

from __future__ import annotations

import httpx
from django.conf import settings

from notifications.backends.base import PermanentNotificationError, TransientNotificationError

_client: httpx.Client | None = None


def _get_client() -> httpx.Client:
    # One client per process: building the TLS context for each call costs ~0.1 s.
    global _client
    if _client is None:
        _client = httpx.Client()
    return _client


def post_json(url: str, payload, *, headers: dict | None = None, what: str) -> httpx.Response:
    """POST JSON and return the response; raise Transient for timeouts, 5xx and 429."""
    timeout = settings.NOTIFICATIONS["HTTP_TIMEOUT"]
    try:
        response = _get_client().post(url, json=payload, headers=headers or {}, timeout=timeout)
    except httpx.TimeoutException as exc:
        raise TransientNotificationError(f"{what}: timeout") from exc
    except httpx.TransportError as exc:
        raise TransientNotificationError(f"{what}: {type(exc).__name__}") from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise TransientNotificationError(f"{what}: HTTP {response.status_code}")
    if response.status_code >= 400:
        raise PermanentNotificationError(f"{what}: HTTP {response.status_code}")
    return response
