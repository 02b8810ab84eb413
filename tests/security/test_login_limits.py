"""Login limits: one database counter per account found (any spelling of the phone, the web
form, the admin and the API alike), a per-client limit under a keyed hash, the same work for
known and unknown phones, and an organizer's new password lifts the lock."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from rest_framework.test import APIClient

from users.models import LoginFailure

PASSWORD = "pass-Word-123"
LOCKED = "Too many failed attempts"


@pytest.fixture(autouse=True)
def _three_failures(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth_username": "3/hour",
            "auth_ip": "1000/min",
        },
    }
    settings.LOGIN_CLIENT_FAILURES = "5/hour"


def account_of(request, role):
    user = request.getfixturevalue(role)
    user = getattr(user, "user", user)
    user.phone = "+79110000001"
    user.save()
    return user


def web(username, password, url="/accounts/login/", address="10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        url, {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE="en"
    )


def api(username, password, address="10.0.0.1"):
    return APIClient(REMOTE_ADDR=address).post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize("role", ["volunteer", "operator", "organizer"])
def test_every_spelling_of_the_phone_shares_one_counter(request, role):
    user = account_of(request, role)
    for n, spelling in enumerate(["8 911 000-00-01", "+7 (911) 000 00 01", "89110000001"]):
        assert web(spelling, "wrong", address=f"10.0.1.{n}").status_code == 200

    refused = web(user.username, PASSWORD, address="10.0.2.1")

    assert refused.status_code == 200
    assert LOCKED in refused.content.decode()


def test_web_admin_and_api_share_the_counter(request, organizer):
    account_of(request, "organizer")
    web("organizer", "wrong", address="10.0.3.1")
    web("+79110000001", "wrong", url="/admin/login/", address="10.0.3.2")
    assert api("8 911 000 00 01", "wrong", address="10.0.3.3").status_code == 400

    api_refused = api("organizer", PASSWORD, address="10.0.3.4")
    admin_refused = web("organizer", PASSWORD, url="/admin/login/", address="10.0.3.5")

    assert api_refused.status_code == 429
    assert LOCKED in api_refused.json()["detail"]
    assert "Retry-After" in api_refused
    assert LOCKED in admin_refused.content.decode()


def test_per_client_limit_on_the_web_whatever_the_names(organizer):
    for n in range(5):
        web(f"nobody{n}", "wrong", address="10.0.4.1")

    same_client = web("organizer", PASSWORD, address="10.0.4.1")
    other_client = web("organizer", PASSWORD, address="10.0.4.2")

    assert LOCKED in same_client.content.decode()
    assert other_client.status_code == 302


def test_forwarded_address_counts_only_behind_the_configured_proxy(organizer, settings):
    for n in range(5):
        Client(REMOTE_ADDR="10.0.5.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").post(
            "/accounts/login/", {"username": f"x{n}", "password": "wrong"}
        )
    # Without API_NUM_PROXIES the header is ignored: all five came from 10.0.5.1.
    assert LOCKED in web("organizer", PASSWORD, address="10.0.5.1").content.decode()


def test_counters_hold_no_name_phone_or_address(request):
    account_of(request, "volunteer")
    web("8 911 000-00-01", "wrong", address="203.0.113.9")
    web("Unknown.Person", "wrong", address="203.0.113.9")

    keys = list(LoginFailure.objects.values_list("key", flat=True))
    assert keys
    for key in keys:
        for secret in ("9110000001", "203.0.113", "unknown", "volunteer1"):
            assert secret not in key.lower()


@pytest.mark.usefixtures("cache_down")
def test_counters_hold_without_redis(organizer):
    for _ in range(3):
        web("organizer", "wrong", address="10.0.6.1")

    assert LOCKED in web("organizer", PASSWORD, address="10.0.6.2").content.decode()


@pytest.fixture
def hashes(monkeypatch):
    """How many times a password is hashed (the costly step) per sign-in attempt."""
    calls = []
    original = MD5PasswordHasher.encode

    def counting(self, password, salt):
        calls.append(1)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    return calls


@pytest.mark.parametrize(
    "typed",
    ["+79110000001", "8 911 000-00-01", "+79119999999", "volunteer1", "no-such-user"],
    ids=["known phone", "known phone spelled", "unknown phone", "known name", "unknown name"],
)
def test_every_refusal_hashes_exactly_once(request, hashes, typed):
    account_of(request, "volunteer")
    hashes.clear()

    response = web(typed, "wrong")

    assert response.status_code == 200
    assert len(hashes) == 1


def test_a_locked_account_takes_the_same_work(request, hashes):
    from django.contrib.auth import authenticate

    account_of(request, "volunteer")
    for _ in range(3):
        web("volunteer1", "wrong")
    hashes.clear()

    assert authenticate(None, username="volunteer1", password=PASSWORD) is None
    assert len(hashes) == 1


def test_organizer_reset_lifts_the_lock(client, request, organizer):
    user = account_of(request, "volunteer")
    for _ in range(3):
        web("volunteer1", "wrong")
    assert LOCKED in web("volunteer1", PASSWORD).content.decode()
    client.force_login(organizer)

    client.post(
        f"/admin/users/user/{user.pk}/password/",
        {"password1": "a-Long-pass-phrase-42", "password2": "a-Long-pass-phrase-42"},
    )

    assert web("volunteer1", "a-Long-pass-phrase-42").status_code == 302


def test_anonymous_sign_in_page_still_answers(db):
    assert Client().get("/accounts/login/").status_code == 200
