"""Failed sign-ins per account on the web and admin sign-in forms.

The API's token endpoint has DRF throttles with the same rate (API_THROTTLE_AUTH_FAILURES);
this module gives the HTML forms the same protection against password guessing. Counters are
kept under an HMAC of the username, like the API's, and survive a Redis outage in memory.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from covidarnost.api_throttles import CACHE_ERRORS, _fallback_cache, hashed

logger = logging.getLogger(__name__)


def _limit() -> tuple[int, int]:
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth_username"]
    return SimpleRateThrottle.parse_rate(None, rate)


def _key(username: str) -> str:
    return f"login-failures:{hashed(username.strip().lower())}"


def _recent(store, key: str, window: int) -> list[float]:
    now = time.time()
    return [t for t in store.get(key, []) if t > now - window]


def too_many_failures(username: str) -> bool:
    """Whether this account had as many failed sign-ins as the rate allows, recently."""
    allowed, window = _limit()
    try:
        return len(_recent(cache, _key(username), window)) >= allowed
    except CACHE_ERRORS:
        logger.warning("login limits: cache unavailable, counting in process memory")
        return len(_recent(_fallback_cache, _key(username), window)) >= allowed


def record_failure(username: str) -> None:
    allowed, window = _limit()
    key = _key(username)
    try:
        cache.set(key, [time.time(), *_recent(cache, key, window)][:allowed], window)
    except CACHE_ERRORS:
        logger.warning("login limits: cache unavailable, counting in process memory")
        _fallback_cache.set(
            key, [time.time(), *_recent(_fallback_cache, key, window)][:allowed], window
        )
