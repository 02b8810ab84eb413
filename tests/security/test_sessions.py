"""Session limits (staff 30 min idle and 12 h in all, volunteers 14 days idle) and "sign out
everywhere", by the volunteer or by an organizer of their group."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from volunteers.models import Volunteer


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at(minutes: float):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


@pytest.mark.parametrize("role", ["organizer", "operator", "coordinator"])
def test_staff_session_ends_after_30_idle_minutes(request, role):
    client = browser(request.getfixturevalue(role))
    with at(0):
        assert client.get("/admin/").status_code == 200
    with at(29):
        assert client.get("/admin/").status_code == 200
    with at(29 + 31):
        response = client.get("/admin/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_staff_session_ends_after_12_hours_even_when_busy(organizer):
    client = browser(organizer)
    for minute in range(0, 12 * 60, 20):
        with at(minute):
            assert client.get("/admin/").status_code == 200
    with at(12 * 60 + 5):
        assert client.get("/admin/").status_code == 302


def test_volunteer_session_lasts_while_used_and_ends_after_14_idle_days(volunteer):
    client = browser(volunteer.user)
    with at(0):
        assert client.get("/tasks/").status_code == 200
    with at(13 * 24 * 60):
        assert client.get("/tasks/").status_code == 200
    with at(26 * 24 * 60):  # 13 days after the last visit: still in
        assert client.get("/tasks/").status_code == 200
    with at(41 * 24 * 60):  # 15 days idle
        assert client.get("/tasks/").status_code == 302


def test_volunteer_signs_out_everywhere(volunteer):
    phone, laptop = browser(volunteer.user), browser(volunteer.user)
    AuthToken.objects.create(user=volunteer.user)

    response = phone.post("/accounts/sign-out-everywhere/")

    assert response.status_code == 302
    assert phone.get("/tasks/").status_code == 302
    assert laptop.get("/tasks/").status_code == 302
    assert not AuthToken.objects.filter(user=volunteer.user).exists()


def test_profile_offers_it(volunteer):
    page = browser(volunteer.user).get("/profile/").content.decode()
    assert 'action="/accounts/sign-out-everywhere/"' in page


def test_sign_out_everywhere_needs_post_and_a_sign_in(client, volunteer):
    assert client.post("/accounts/sign-out-everywhere/").status_code == 302  # to sign in
    assert browser(volunteer.user).get("/accounts/sign-out-everywhere/").status_code == 405


def _admin_action(client, volunteer):
    return client.post(
        "/admin/volunteers/volunteer/",
        {"action": "sign_out_everywhere", "_selected_action": [str(volunteer.pk)]},
    )


def test_organizer_signs_a_volunteer_of_the_group_out(organizer, volunteer):
    victim = browser(volunteer.user)
    AuthToken.objects.create(user=volunteer.user)

    response = _admin_action(browser(organizer), volunteer)

    assert response.status_code == 302
    assert victim.get("/tasks/").status_code == 302
    assert not AuthToken.objects.filter(user=volunteer.user).exists()


@pytest.mark.parametrize("role", ["other_organizer", "operator"])
def test_others_cannot(request, volunteer, role):
    victim = browser(volunteer.user)

    _admin_action(browser(request.getfixturevalue(role)), volunteer)

    assert victim.get("/tasks/").status_code == 200
    assert Volunteer.objects.get(pk=volunteer.pk).user.session_epoch == 0
