"""/healthz: public, JSON, names the dependency that failed, carries no data."""

from __future__ import annotations

import json
import socket

import pytest
from django.db.utils import OperationalError

from covidarnost import health


@pytest.fixture(autouse=True)
def _fresh_redis_client():
    health._redis_client = None
    yield
    health._redis_client = None


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "volunteer", "operator", "organizer", "outsider"])
def test_healthz_answers_everyone_the_same_without_data(client, who, request, settings):
    settings.REDIS_URL = ""
    if who == "outsider":
        client.force_login(request.getfixturevalue("other_organizer"))
    elif who != "anonymous":
        fixture = request.getfixturevalue(who)
        client.force_login(getattr(fixture, "user", fixture))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "not configured"},
    }
    assert "no-cache" in response["Cache-Control"]
    # No session is read or written: probes every few seconds must not create sessions.
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_healthz_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = ""
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


@pytest.mark.django_db
def test_redis_down_is_degraded_but_still_serving(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "checks": {"database": "ok", "redis": "fail"}}


@pytest.mark.django_db
def test_database_down_answers_503_and_says_so(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    class BrokenCursor:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: BrokenCursor())
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {"status": "fail", "checks": {"database": "fail", "redis": "not configured"}}


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_pings_the_configured_redis(client, settings):
    import os

    import redis

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs Redis: set REDIS_URL")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis does not answer")
    settings.REDIS_URL = url
    assert client.get("/healthz").json()["checks"]["redis"] == "ok"


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
