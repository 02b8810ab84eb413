"""Harvesting by claim and release: organizers set the limit of tasks held at once; more than
3 give-backs (release or "could not deliver") in 24 h stop claims (API 429, the same message
on the web) until an organizer allows them again, and the organizers are alerted."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from requests.exceptions import ClaimsStopped, NotAllowed
from requests.models import Status
from requests.services import (
    help_request_claim,
    help_request_release,
    help_request_report_undeliverable,
)
from tests.factories import HelpRequestFactory
from volunteers.services import (
    volunteer_allow_claims,
    volunteer_set_task_limit,
    volunteer_update_availability,
)

MESSAGE = (
    "You gave back more than 3 tasks within 24 hours, so you cannot take new tasks for now. "
    "An organizer of your group has been told and can allow it again."
)


@pytest.fixture
def tasks(neighbor):
    return [HelpRequestFactory(neighbor=neighbor) for _ in range(6)]


def _give_back(volunteer, tasks, count, *, undeliverable_every=2):
    for number, task in enumerate(tasks[:count]):
        help_request_claim(help_request=task, volunteer=volunteer)
        if number % undeliverable_every:
            help_request_report_undeliverable(help_request=task, volunteer=volunteer, reason="x")
        else:
            help_request_release(help_request=task, volunteer=volunteer, reason="x")


def test_three_give_backs_are_fine_the_fourth_stops_claims(volunteer, tasks):
    _give_back(volunteer, tasks, 3)
    help_request_claim(help_request=tasks[3], volunteer=volunteer)  # still allowed
    help_request_release(help_request=tasks[3], volunteer=volunteer, reason="x")

    volunteer.refresh_from_db()
    assert volunteer.claims_blocked_at is not None
    with pytest.raises(ClaimsStopped):
        help_request_claim(help_request=tasks[4], volunteer=volunteer)
    tasks[4].refresh_from_db()
    assert tasks[4].status == Status.OPEN


def test_give_backs_older_than_a_day_do_not_count(volunteer, tasks):
    with time_machine.travel(timezone.now() - timedelta(hours=25)):
        _give_back(volunteer, tasks, 3)
    _give_back(volunteer, tasks[3:], 3)

    volunteer.refresh_from_db()
    assert volunteer.claims_blocked_at is None


def test_api_answers_429_with_the_reason(client_for, volunteer, tasks):
    _give_back(volunteer, tasks, 4)

    response = client_for("volunteer").post(
        f"/api/v1/tasks/{tasks[4].pk}/claim/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 429
    assert response.json() == {"detail": MESSAGE}


def test_web_says_the_same(volunteer_client, volunteer, tasks):
    _give_back(volunteer, tasks, 4)

    response = volunteer_client.post(f"/tasks/{tasks[4].pk}/claim/", follow=True)
    listing = volunteer_client.get("/tasks/").content.decode()

    assert MESSAGE in response.content.decode()
    assert MESSAGE.replace("'", "&#x27;") in listing
    tasks[4].refresh_from_db()
    assert tasks[4].status == Status.OPEN


def test_organizers_are_alerted_once_with_a_link_only(volunteer, organizer, tasks, neighbor):
    from requests.tasks import alert_claims_stopped

    mail.outbox.clear()
    _give_back(volunteer, tasks, 4)
    alert_claims_stopped(str(volunteer.pk), str(tasks[3].pk))  # a retry sends nothing again

    alerts = [m for m in mail.outbox if m.to == [organizer.email]]
    assert len(alerts) == 1
    body = alerts[0].body
    assert "/admin/volunteers/volunteer/?claims=stopped" in body
    neighbor.refresh_from_db()
    # The flat as typed with its letter: a bare number could match digits of the link.
    for secret in (neighbor.name, f"кв. {neighbor.flat}", "+79111234567", tasks[3].code_word):
        assert secret not in body
    assert volunteer.user.username not in body


def test_organizer_allows_claims_again_and_the_count_restarts(volunteer, organizer, tasks):
    _give_back(volunteer, tasks, 4)

    volunteer_allow_claims(volunteer=volunteer, actor=organizer)

    volunteer.refresh_from_db()
    assert volunteer.claims_blocked_at is None
    assert volunteer.claims_cleared_by == organizer
    help_request_claim(help_request=tasks[4], volunteer=volunteer)  # no error
    help_request_release(help_request=tasks[4], volunteer=volunteer, reason="x")
    volunteer.refresh_from_db()
    assert volunteer.claims_blocked_at is None  # one give-back since the clearing


@pytest.mark.parametrize("role", ["operator", "other_organizer", "second_volunteer"])
def test_only_the_groups_organizers_allow_claims_again(request, volunteer, tasks, role):
    _give_back(volunteer, tasks, 4)
    actor = request.getfixturevalue(role)
    with pytest.raises(NotAllowed):
        volunteer_allow_claims(volunteer=volunteer, actor=getattr(actor, "user", actor))


def test_admin_action_allows_claims_again(client, organizer, volunteer, tasks):
    _give_back(volunteer, tasks, 4)
    client.force_login(organizer)

    listed = client.get("/admin/volunteers/volunteer/?claims=stopped").content.decode()
    response = client.post(
        "/admin/volunteers/volunteer/",
        {"action": "allow_claims", "_selected_action": [str(volunteer.pk)]},
    )

    assert str(volunteer.pk) in listed
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.claims_blocked_at is None


# --- The limit of tasks held at once ------------------------------------------------------


def test_volunteer_may_only_lower_the_organizers_limit(volunteer):
    with pytest.raises(ValidationError) as error:
        volunteer_update_availability(volunteer=volunteer, is_available=True, max_open_tasks=20)
    assert "max_open_tasks" in error.value.message_dict
    volunteer_update_availability(volunteer=volunteer, is_available=True, max_open_tasks=2)
    volunteer.refresh_from_db()
    assert volunteer.max_open_tasks == 2


def test_profile_form_refuses_more_than_allowed(volunteer_client, volunteer):
    response = volunteer_client.post(
        "/profile/", {"is_available": "on", "max_open_tasks": "20", "notification_channel": "email"}
    )

    assert response.status_code == 400
    assert "the limit your organizers set" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.max_open_tasks == 3


def test_organizer_lowers_the_limit_and_the_choice_follows(volunteer, organizer, tasks):
    volunteer_set_task_limit(volunteer=volunteer, limit=1, actor=organizer)
    volunteer.refresh_from_db()
    assert (volunteer.max_open_tasks_allowed, volunteer.max_open_tasks) == (1, 1)

    help_request_claim(help_request=tasks[0], volunteer=volunteer)
    with pytest.raises(Exception, match="your limit"):
        help_request_claim(help_request=tasks[1], volunteer=volunteer)


@pytest.mark.parametrize("role", ["operator", "other_organizer", "volunteer"])
def test_only_organizers_set_the_limit(request, volunteer, role):
    actor = request.getfixturevalue(role)
    with pytest.raises(NotAllowed):
        volunteer_set_task_limit(volunteer=volunteer, limit=20, actor=getattr(actor, "user", actor))


def test_organizer_sets_the_limit_in_the_admin(client, organizer, volunteer):
    client.force_login(organizer)
    url = f"/admin/volunteers/volunteer/{volunteer.pk}/change/"
    form = client.get(url).context["adminform"].form
    assert "max_open_tasks_allowed" in form.fields
    assert "max_open_tasks" not in form.fields  # the volunteer's own choice
