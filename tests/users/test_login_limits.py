"""Password guessing on the web and admin sign-in forms is stopped per account."""

import pytest
from django.core.cache import cache

from tests.factories import OrganizerFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Word-123"


@pytest.fixture(autouse=True)
def _limits(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth_username": "3/hour",
        },
    }
    yield
    cache.clear()


def _sign_in(client, url, username, password):
    return client.post(url, {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_account_is_refused_after_too_many_failures_even_with_right_password(client, url):
    user = OrganizerFactory(username="nina")
    for _ in range(3):
        assert _sign_in(client, url, "nina", "wrong").status_code == 200

    response = _sign_in(client, url, "nina", PASSWORD)

    assert response.status_code == 200
    assert "Too many failed attempts for this account" in response.content.decode()
    assert "_auth_user_id" not in client.session
    other = UserFactory(username="olga", group=user.group)
    assert _sign_in(client, "/accounts/login/", other.username, PASSWORD).status_code == 302


def test_fewer_failures_still_let_the_owner_in(client):
    OrganizerFactory(username="nina")
    for _ in range(2):
        _sign_in(client, "/accounts/login/", "nina", "wrong")
    assert _sign_in(client, "/accounts/login/", "nina", PASSWORD).status_code == 302


def test_counters_do_not_store_the_username_or_address(client):
    from users.models import LoginFailure

    client.post(
        "/accounts/login/",
        {"username": "Nina.Secret", "password": "wrong"},
        REMOTE_ADDR="203.0.113.77",
    )

    keys = list(LoginFailure.objects.values_list("key", flat=True))
    assert len(keys) == 2  # the typed name (no such account) and the client
    assert not any("nina" in key.lower() or "203.0.113" in key for key in keys)
