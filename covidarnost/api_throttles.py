"""Rate limits of the API: sign-in per IP and per username, request creation per user and IP.

Counters live in the Django cache (Redis in production). Privacy: no raw IP address or username
is stored; cache keys hold an HMAC of them keyed with SECRET_KEY.

If the cache fails (Redis down), limits neither stop working nor block everyone: the counters
move to memory of the current process (so each worker enforces the limit on its own share of
traffic) and a warning is logged on every such request. Sign-in stays possible, and guessing
passwords stays slow.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

try:  # redis-py's errors do not derive from OSError.
    from redis.exceptions import RedisError as _RedisError
except ImportError:  # pragma: no cover - redis is a dependency
    _RedisError = OSError

CACHE_ERRORS = (OSError, _RedisError)

_fallback_cache = LocMemCache("api-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10000}})


def hashed(value: str) -> str:
    """A stable pseudonym for an IP address or username: HMAC-SHA256 keyed with SECRET_KEY."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]


class HashedRateThrottle(SimpleRateThrottle):
    """Rates read from settings at request time (tests may override them); cache errors survive."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def key_for(self, ident: str) -> str:
        return self.cache_format % {"scope": self.scope, "ident": hashed(ident)}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS:
            logger.warning("throttle %s: cache unavailable, counting in process memory", self.scope)
            self.cache = _fallback_cache
            return super().allow_request(request, view)


class AuthIPThrottle(HashedRateThrottle):
    """Every sign-in attempt from one address."""

    scope = "auth_ip"

    def get_cache_key(self, request, view):
        return self.key_for(self.get_ident(request) or "")


class AuthFailureThrottle(HashedRateThrottle):
    """Failed sign-ins for one username (whatever the address): the view records failures."""

    scope = "auth_username"

    def get_cache_key(self, request, view):
        data = request.data
        username = data.get("username") if isinstance(data, dict) else None
        if not isinstance(username, str) or not username.strip():
            return None
        return self.key_for(username.strip().lower())

    def throttle_success(self):
        # Checking does not count; only record_failure() does.
        return True

    def record_failure(self, request, view) -> None:
        try:
            self._record_failure(request, view)
        except CACHE_ERRORS:
            logger.warning("throttle %s: cache unavailable, counting in process memory", self.scope)
            self.cache = _fallback_cache
            self._record_failure(request, view)

    def _record_failure(self, request, view) -> None:
        key = self.get_cache_key(request, view)
        if key is None or self.rate is None:
            return
        now = self.timer()
        history = [t for t in self.cache.get(key, []) if t > now - self.duration]
        history.insert(0, now)
        self.cache.set(key, history, self.duration)


class CreateRequestUserThrottle(HashedRateThrottle):
    """Help requests entered by one account."""

    scope = "request_create_user"

    def get_cache_key(self, request, view):
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        return self.key_for(str(request.user.pk))


class CreateRequestIPThrottle(HashedRateThrottle):
    """Help requests entered from one address, whichever accounts are used."""

    scope = "request_create_ip"

    def get_cache_key(self, request, view):
        if request.method != "POST":
            return None
        return self.key_for(self.get_ident(request) or "")
