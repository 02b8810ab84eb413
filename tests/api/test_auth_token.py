import logging

import pytest
from django.core.cache import cache
from django.test import override_settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from covidarnost.api_throttles import hashed
from tests import factories

URL = "/api/v1/auth/token/"


def stored_cache_keys() -> list[str]:
    """Every key in the cache: LocMem without REDIS_URL, Redis (its own db) in CI."""
    store = cache._cache
    if isinstance(store, dict):
        return list(store)
    return [key.decode() for key in store.get_client(None).keys("*")]


PASSWORD = "pass-Word-123"


def rates(**overrides):
    from django.conf import settings

    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **overrides,
            },
        }
    )


@pytest.fixture
def user(group):
    return factories.OperatorFactory(username="hotline", group=group, phone="+79110000001")


def test_username_and_password_give_a_token_that_authenticates(user):
    response = APIClient().post(URL, {"username": "hotline", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert set(response.json()) == {"token", "expires_at"}
    assert AuthToken.objects.filter(user=user).count() == 1
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/me/").json()["username"] == "hotline"


def test_phone_number_works_as_username(user):
    response = APIClient().post(
        URL, {"username": "8 911 000-00-01", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert AuthToken.objects.filter(user=user).count() == 1


def test_each_sign_in_is_a_token_of_its_own(user):
    first = APIClient().post(URL, {"username": "hotline", "password": PASSWORD}, format="json")
    second = APIClient().post(URL, {"username": "hotline", "password": PASSWORD}, format="json")

    assert first.json()["token"] != second.json()["token"]
    assert AuthToken.objects.filter(user=user).count() == 2


def test_wrong_password_is_400_with_a_message_and_no_token(user):
    response = APIClient().post(
        URL, {"username": "hotline", "password": "nope"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Wrong username, phone number or password."}
    assert not AuthToken.objects.exists()


def test_inactive_user_gets_no_token(user):
    user.is_active = False
    user.save()

    response = APIClient().post(URL, {"username": "hotline", "password": PASSWORD}, format="json")

    assert response.status_code == 400


def test_missing_fields_are_named(db):
    response = APIClient().post(URL, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_a_bad_token_header_does_not_block_signing_in(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.post(URL, {"username": "hotline", "password": PASSWORD}, format="json")

    assert response.status_code == 200


def test_invalid_token_is_401_elsewhere(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.get("/api/v1/me/").status_code == 401


def test_repeated_failures_for_one_username_are_throttled_from_any_address(user):
    with rates(auth_username="3/hour"):
        for n in range(3):
            response = APIClient(REMOTE_ADDR=f"10.0.0.{n}").post(
                URL, {"username": "Hotline", "password": "bad"}, format="json"
            )
            assert response.status_code == 400
        blocked = APIClient(REMOTE_ADDR="10.0.0.9").post(
            URL, {"username": "hotline", "password": PASSWORD}, format="json"
        )

    assert blocked.status_code == 429
    assert "detail" in blocked.json()
    assert "Retry-After" in blocked


def test_successful_sign_ins_do_not_count_as_failures(user):
    with rates(auth_username="2/hour"):
        for _ in range(4):
            response = APIClient().post(
                URL, {"username": "hotline", "password": PASSWORD}, format="json"
            )
            assert response.status_code == 200


def test_attempts_from_one_address_are_throttled(user):
    with rates(auth_ip="3/min"):
        codes = [
            APIClient(REMOTE_ADDR="10.1.1.1")
            .post(URL, {"username": f"someone{n}", "password": "x"}, format="json")
            .status_code
            for n in range(4)
        ]
        other_address = APIClient(REMOTE_ADDR="10.1.1.2").post(
            URL, {"username": "hotline", "password": PASSWORD}, format="json"
        )

    assert codes == [400, 400, 400, 429]
    assert other_address.status_code == 200


def test_x_forwarded_for_from_the_client_does_not_dodge_the_ip_limit(user):
    with rates(auth_ip="2/min"):
        codes = [
            APIClient(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
            .post(URL, {"username": "x", "password": "x"}, format="json")
            .status_code
            for n in range(3)
        ]

    assert codes == [400, 400, 429]


def test_throttle_keys_hold_no_raw_address_or_username(user):
    APIClient(REMOTE_ADDR="203.0.113.77").post(
        URL, {"username": "hotline", "password": "bad"}, format="json"
    )

    keys = stored_cache_keys()
    assert any(key.endswith(f"throttle_auth_ip_{hashed('203.0.113.77')}") for key in keys)
    assert not any("203.0.113.77" in key or "hotline" in key for key in keys)


@pytest.mark.usefixtures("cache_down")
def test_cache_outage_keeps_sign_in_working_and_throttled_in_memory(user, caplog):
    with caplog.at_level(logging.WARNING, logger="covidarnost.api_throttles"):
        ok = APIClient(REMOTE_ADDR="10.9.9.9").post(
            URL, {"username": "hotline", "password": PASSWORD}, format="json"
        )
        with rates(auth_username="2/hour"):
            codes = [
                APIClient(REMOTE_ADDR="10.9.9.9")
                .post(URL, {"username": "fallback-user", "password": "bad"}, format="json")
                .status_code
                for _ in range(3)
            ]

    assert ok.status_code == 200
    assert codes == [400, 400, 429]
    assert "cache unavailable" in caplog.text


def test_session_sign_in_also_works_for_the_api(client, user):
    client.force_login(user)

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["username"] == "hotline"
