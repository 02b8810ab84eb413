"""API tokens: hashed at rest, expiring, revoked one by one at logout and all at once on a
password change, a pause or a removal (with every browser session)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken
from rest_framework.test import APIClient

from volunteers.services import volunteer_set_status

TOKEN_URL = "/api/v1/auth/token/"
LOGOUT_URL = "/api/v1/auth/logout/"
PASSWORD = "pass-Word-123"


def sign_in(username) -> dict:
    response = APIClient().post(
        TOKEN_URL, {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def with_token(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.mark.parametrize(
    ("role", "hours"),
    # Staff: the idle limit (API_TOKEN_IDLE_STAFF_HOURS); test_api_token_idle.py for the rest.
    [("volunteer", 14 * 24), ("operator", 2), ("organizer", 2), ("coordinator", 2)],
)
def test_token_answers_with_its_expiry_per_role(request, role, hours):
    user = request.getfixturevalue(role)
    user = getattr(user, "user", user)

    body = sign_in(user.username)

    expires_at = parse_datetime(body["expires_at"])
    expected = timezone.now() + timedelta(hours=hours)
    assert abs((expires_at - expected).total_seconds()) < 60
    assert with_token(body["token"]).get("/api/v1/me/").status_code == 200


def test_token_is_stored_hashed(volunteer):
    token = sign_in("volunteer1")["token"]

    stored = AuthToken.objects.get(user=volunteer.user)
    assert token not in (stored.digest, stored.token_key)
    assert stored.digest != token


def test_expired_token_is_refused(volunteer):
    token = sign_in("volunteer1")["token"]

    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert with_token(token).get("/api/v1/me/").status_code == 401


def test_logout_revokes_only_the_token_used(volunteer):
    phone, laptop = sign_in("volunteer1")["token"], sign_in("volunteer1")["token"]

    response = with_token(phone).post(LOGOUT_URL)

    assert response.status_code == 204
    assert with_token(phone).get("/api/v1/me/").status_code == 401
    assert with_token(laptop).get("/api/v1/me/").status_code == 200


def test_logout_needs_a_sign_in(db):
    assert APIClient().post(LOGOUT_URL).status_code == 401


def test_password_change_revokes_every_token(volunteer):
    token = sign_in("volunteer1")["token"]

    volunteer.user.set_password("another-Pass-456")
    volunteer.user.save()

    assert with_token(token).get("/api/v1/me/").status_code == 401


def test_password_change_in_the_admin_revokes_tokens_and_sessions(client, organizer, volunteer):
    from django.test import Client

    token = sign_in("volunteer1")["token"]
    browser = Client()
    browser.force_login(volunteer.user)
    assert browser.get("/tasks/").status_code == 200
    client.force_login(organizer)

    response = client.post(
        f"/admin/users/user/{volunteer.user.pk}/password/",
        {"password1": "a-Long-pass-phrase-42", "password2": "a-Long-pass-phrase-42"},
    )

    assert response.status_code == 302
    assert with_token(token).get("/api/v1/me/").status_code == 401
    assert browser.get("/tasks/").status_code == 302  # sent to sign in


def test_a_hash_upgrade_at_sign_in_keeps_tokens(volunteer, settings):
    token = sign_in("volunteer1")["token"]
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]

    sign_in("volunteer1")  # the stored hash is upgraded to the new first hasher

    assert with_token(token).get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize("status", ["paused", "removed"])
def test_pause_or_removal_ends_tokens_and_sessions(client, organizer, volunteer, status):
    token = sign_in("volunteer1")["token"]
    client.force_login(volunteer.user)
    assert client.get("/profile/").status_code == 200

    volunteer_set_status(volunteer=volunteer, status=status, actor=organizer, reason="test")

    assert with_token(token).get("/api/v1/me/").status_code == 401
    assert client.get("/profile/").status_code == 302  # signed out: sent to sign in


def test_verifying_keeps_the_session(client, organizer, volunteer):
    client.force_login(volunteer.user)

    volunteer_set_status(volunteer=volunteer, status="verified", actor=organizer)

    assert client.get("/profile/").status_code == 200


def test_old_plain_text_tokens_are_gone(db):
    from django.db import connection

    assert "authtoken_token" not in connection.introspection.table_names()


def test_schema_describes_token_and_logout(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/auth/logout/" in schema["paths"]
    output = schema["components"]["schemas"]["TokenOutput"]
    assert set(output["properties"]) == {"token", "expires_at"}
