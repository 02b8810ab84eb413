"""Organizers, operators and coordinators confirm a one-time code (TOTP, or a recovery code)
before any personal data, on the web, in the admin and for API tokens."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from users.services import second_factor_confirm, second_factor_setup_start

PASSWORD = "pass-Word-123"
STAFF = ["organizer", "operator", "coordinator"]


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def user_of(request, role):
    user = request.getfixturevalue(role)
    return getattr(user, "user", user)


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def set_up(user) -> list[str]:
    device = second_factor_setup_start(user=user)
    codes = second_factor_confirm(user=user, token=code_for(device))
    # The code used to confirm may not be used again (replay); tests run within one step.
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    return codes


def signed_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("role", STAFF)
def test_staff_reach_only_the_code_page_before_a_code(request, help_request, role):
    client = signed_in(user_of(request, role))

    admin = client.get(f"/admin/requests/helprequest/{help_request.pk}/change/")
    api = client.get(f"/api/v1/requests/{help_request.pk}/")

    assert admin.status_code == 302
    assert admin["Location"].startswith("/accounts/two-factor/?next=")
    assert api.status_code == 403
    assert help_request.neighbor.name not in api.content.decode()


def test_volunteers_and_anonymous_are_not_asked(client, volunteer):
    volunteer_client = signed_in(volunteer.user)
    assert volunteer_client.get("/tasks/").status_code == 200
    assert volunteer_client.get("/accounts/two-factor/")["Location"] == "/"
    assert not TOTPDevice.objects.filter(user=volunteer.user).exists()
    assert client.get("/accounts/two-factor/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", STAFF)
def test_first_time_sets_up_the_app_and_shows_recovery_codes(request, help_request, role):
    user = user_of(request, role)
    client = signed_in(user)

    page = client.get("/accounts/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/accounts/two-factor/", {"token": code_for(device), "next": "/admin/"})

    assert "<svg" in page and 'autocomplete="one-time-code"' in page
    assert done.status_code == 200
    assert done.content.decode().count("<li><code>") == 10
    assert client.get(f"/admin/requests/helprequest/{help_request.pk}/change/").status_code == 200


def test_wrong_code_is_refused_next_to_the_field(organizer):
    set_up(organizer)
    client = signed_in(organizer)

    response = client.post("/accounts/two-factor/", {"token": "000000"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "This code does not match" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_works_once(organizer):
    codes = set_up(organizer)
    first, second = signed_in(organizer), signed_in(organizer)

    assert first.post("/accounts/two-factor/", {"token": codes[0]}).status_code == 302
    assert first.get("/admin/").status_code == 200
    assert second.post("/accounts/two-factor/", {"token": codes[0]}).status_code == 400


def test_every_new_sign_in_asks_again(organizer):
    set_up(organizer)
    client = signed_in(organizer)
    device = TOTPDevice.objects.get(user=organizer)
    assert client.post("/accounts/two-factor/", {"token": code_for(device)}).status_code == 302
    assert client.get("/admin/").status_code == 200

    client.post("/accounts/logout/")
    again = signed_in(organizer)

    assert again.get("/admin/").status_code == 302


def test_exempt_demo_accounts(settings, organizer):
    settings.TWO_FACTOR_EXEMPT_USERNAMES = ["organizer"]
    assert signed_in(organizer).get("/admin/").status_code == 200


def test_api_token_for_staff_needs_the_code(operator):
    url = "/api/v1/auth/token/"
    body = {"username": "operator", "password": PASSWORD}

    no_device = APIClient().post(url, body, format="json")
    set_up(operator)
    device = TOTPDevice.objects.get(user=operator)
    # The right code first: after a wrong one django-otp makes the device wait (throttling).
    right = APIClient().post(url, {**body, "otp": code_for(device)}, format="json")
    wrong = APIClient().post(url, {**body, "otp": "000000"}, format="json")

    assert no_device.status_code == 403
    assert wrong.status_code == 400 and "otp" in wrong.json()
    assert right.status_code == 200 and "token" in right.json()


def test_volunteer_api_token_needs_no_code(volunteer):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "volunteer1", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_required_whenever_debug_is_off():
    root = Path(__file__).resolve().parents[2]
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.TWO_FACTOR_REQUIRED))"
    )
    env = {"DJANGO_SETTINGS_MODULE": "covidarnost.settings", "PATH": "/usr/bin:/bin"}
    results = {}
    for debug in ("0", "1"):
        done = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, "-c", code],
            cwd=root,
            env={**env, "DEBUG": debug, "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.org"},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        results[debug] = json.loads(done.stdout.strip().splitlines()[-1])
    assert results == {"0": True, "1": False}
