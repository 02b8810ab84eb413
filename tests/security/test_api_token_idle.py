"""Staff API tokens stop working when unused for API_TOKEN_IDLE_STAFF_HOURS; each call moves
the limit on, never past API_TOKEN_TTL_STAFF_HOURS after sign-in. Volunteers' do not idle."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
ME = "/api/v1/me/"


def token_at(moment, user) -> str:
    with time_machine.travel(moment, tick=False):
        response = APIClient().post(
            "/api/v1/auth/token/",
            {"username": user.username, "password": "pass-Word-123"},
            format="json",
        )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def call_at(moment, token) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with time_machine.travel(moment, tick=False):
        return client.get(ME).status_code


@pytest.mark.parametrize("role", ["operator", "organizer", "coordinator"])
def test_an_unused_staff_token_stops_after_the_idle_limit(request, role):
    user = request.getfixturevalue(role)
    token = token_at(START, user)
    assert call_at(START + timedelta(hours=1, minutes=59), token) == 200
    # Used at 1:59, so it works until 3:59 ...
    assert call_at(START + timedelta(hours=3, minutes=58), token) == 200
    # ... and, used at 3:58, stops when left alone past 5:58.
    assert call_at(START + timedelta(hours=6), token) == 401
    assert not AuthToken.objects.filter(user=user).exists()


def test_a_staff_token_left_alone_stops_without_any_call(operator):
    token = token_at(START, operator)
    assert call_at(START + timedelta(hours=2, minutes=1), token) == 401


def test_use_never_extends_a_staff_token_past_its_lifetime(operator):
    token = token_at(START, operator)
    for hour in range(1, 12):
        assert call_at(START + timedelta(hours=hour), token) == 200
    assert call_at(START + timedelta(hours=11, minutes=59), token) == 200
    assert call_at(START + timedelta(hours=12, minutes=1), token) == 401


@override_settings(API_TOKEN_IDLE_STAFF=timedelta(minutes=30))
def test_the_idle_limit_is_a_setting(operator):
    token = token_at(START, operator)
    assert call_at(START + timedelta(minutes=29), token) == 200
    assert call_at(START + timedelta(minutes=60), token) == 401


def test_volunteer_tokens_do_not_idle(volunteer):
    token = token_at(START, volunteer.user)
    assert call_at(START + timedelta(days=13), token) == 200
    assert call_at(START + timedelta(days=15), token) == 401


def test_calls_within_a_minute_do_not_write(operator):
    token = token_at(START, operator)
    stored = AuthToken.objects.get(user=operator).expiry
    assert call_at(START + timedelta(seconds=30), token) == 200
    assert AuthToken.objects.get(user=operator).expiry == stored
    assert call_at(START + timedelta(minutes=5), token) == 200
    assert AuthToken.objects.get(user=operator).expiry == START + timedelta(hours=2, minutes=5)
