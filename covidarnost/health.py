"""`/healthz`: is this web process able to serve? For load balancers and compose healthchecks.

Public and cheap: no session, no user, no template; it names each dependency and whether it
answered, never any data. The database is required (503 without it); Redis is not (pages and
request creation work without it, matching catches up later), so a Redis failure answers 200
with `"status": "degraded"` and `"redis": "fail"`: a balancer keeps the process in rotation
and monitoring still sees which part failed.
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Shorter than any balancer's probe timeout; a hung dependency must not hang the probe.
TIMEOUT_SECONDS = 1.0

_redis_client: redis.Redis | None = None


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "cannot serve", and is logged without data
        logger.warning("healthz: database check failed", exc_info=True)
        connection.close_if_unusable_or_obsolete()
        return False


def _check_redis() -> bool | None:
    """True/False, or None when no Redis is configured (the demo runs without one)."""
    global _redis_client
    if not settings.REDIS_URL:
        return None
    if _redis_client is None:
        _redis_client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=TIMEOUT_SECONDS,
            socket_timeout=TIMEOUT_SECONDS,
        )
    try:
        return bool(_redis_client.ping())
    except redis.RedisError:
        logger.warning("healthz: redis check failed")
        return False


@never_cache
@require_safe
def healthz(request):
    database = _check_database()
    redis_ok = _check_redis()
    checks = {
        "database": "ok" if database else "fail",
        "redis": {True: "ok", False: "fail", None: "not configured"}[redis_ok],
    }
    if not database:
        status = "fail"
    elif redis_ok is False:
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse({"status": status, "checks": checks}, status=503 if not database else 200)
