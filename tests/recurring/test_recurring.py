"""Recurring requests: the schedule, the beat task (once per occurrence, ahead of time,
offered first to the last volunteer), pause/resume/stop, and /intake/recurring/<id>/ per role.
"""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from recurring.models import RecurringOccurrence, RecurringRequest, RecurringState
from recurring.schedule import first_due, following_due
from recurring.services import (
    recurring_request_create,
    recurring_request_pause,
    recurring_request_resume,
    recurring_request_stop,
    recurring_requests_spawn,
)
from requests.exceptions import NotAllowed, TransitionNotAllowed
from requests.matching import rank_candidates
from requests.models import HelpRequest, Status
from requests.services import help_request_claim, help_request_deliver
from tests import factories

pytestmark = pytest.mark.django_db

NOON = time(12, 0)
# Monday 1 December 2025, 09:00 Moscow time.
MONDAY_9 = datetime(2025, 12, 1, 9, 0)


def _local(value: datetime) -> datetime:
    return timezone.make_aware(value)


@pytest.fixture
def weekly(operator, neighbor):
    with time_machine.travel(_local(MONDAY_9), tick=False):
        return recurring_request_create(
            actor=operator,
            neighbor=neighbor,
            kind="groceries",
            details="Хлеб, молоко, кефир",
            weekday=1,  # Tuesday
            at=NOON,
        )


# --- Schedule ----------------------------------------------------------------------------


def test_first_due_is_the_next_weekday_at_that_time():
    assert first_due(weekday=1, at=NOON, after=_local(MONDAY_9)) == _local(
        datetime(2025, 12, 2, 12, 0)
    )
    # The same day, already past: a week later.
    assert first_due(weekday=0, at=time(8, 0), after=_local(MONDAY_9)) == _local(
        datetime(2025, 12, 8, 8, 0)
    )


def test_every_two_weeks_keeps_the_local_time_of_day():
    due = _local(datetime(2025, 12, 2, 12, 0))
    assert following_due(due, interval_weeks=2, at=NOON) == _local(datetime(2025, 12, 16, 12, 0))


# --- Beat: occurrences --------------------------------------------------------------------


def test_the_next_request_is_made_a_day_ahead_once(weekly, settings):
    settings.RECURRING_LEAD_HOURS = 24
    # Monday 09:00: Tuesday 12:00 is 27 h away, not yet.
    assert recurring_requests_spawn(now=_local(MONDAY_9)) == 0
    monday_13 = _local(datetime(2025, 12, 1, 13, 0))
    assert recurring_requests_spawn(now=monday_13) == 1
    assert recurring_requests_spawn(now=monday_13) == 0
    occurrence = RecurringOccurrence.objects.get()
    help_request = occurrence.help_request
    assert help_request.due_at == _local(datetime(2025, 12, 2, 12, 0))
    assert (help_request.kind, help_request.details, help_request.status) == (
        "groceries",
        "Хлеб, молоко, кефир",
        Status.OPEN,
    )
    weekly.refresh_from_db()
    assert weekly.next_due_at == _local(datetime(2025, 12, 9, 12, 0))


def test_a_second_run_for_the_same_occurrence_makes_nothing(weekly):
    """Two beats at once: the unique (recurring, due_at) keeps one request."""
    due = weekly.next_due_at
    recurring_requests_spawn(now=due - timedelta(hours=2))
    RecurringRequest.objects.filter(pk=weekly.pk).update(next_due_at=due)  # a stale second run
    assert recurring_requests_spawn(now=due - timedelta(hours=2)) == 0
    assert HelpRequest.objects.count() == 1


def test_paused_and_stopped_make_nothing(weekly, operator):
    recurring_request_pause(recurring=weekly, actor=operator)
    assert recurring_requests_spawn(now=weekly.next_due_at) == 0
    recurring_request_stop(recurring=weekly, actor=operator)
    assert recurring_requests_spawn(now=weekly.next_due_at) == 0
    assert HelpRequest.objects.count() == 0


def test_resume_starts_from_the_next_due_day_without_the_missed_ones(weekly, operator):
    original = weekly.next_due_at
    recurring_request_pause(recurring=weekly, actor=operator)
    # Resumed on a Tuesday at 13:00, three weeks on: the next is the Tuesday after.
    recurring_request_resume(
        recurring=weekly, actor=operator, now=original + timedelta(weeks=3, hours=1)
    )
    weekly.refresh_from_db()
    assert weekly.state == RecurringState.ACTIVE
    assert weekly.next_due_at == original + timedelta(weeks=4)
    assert recurring_requests_spawn(now=original + timedelta(weeks=3, hours=1)) == 0


def test_stopped_cannot_resume_and_changes_are_recorded(weekly, operator):
    recurring_request_stop(recurring=weekly, actor=operator)
    with pytest.raises(TransitionNotAllowed):
        recurring_request_resume(recurring=weekly, actor=operator)
    assert list(weekly.changes.values_list("action", "actor")) == [
        ("create", operator.pk),
        ("stop", operator.pk),
    ]


def test_a_long_missed_occurrence_is_skipped_not_made(weekly):
    two_days_late = weekly.next_due_at + timedelta(days=2)
    assert recurring_requests_spawn(now=two_days_late) == 0
    weekly.refresh_from_db()
    assert weekly.next_due_at > two_days_late


def test_the_next_one_is_offered_first_to_who_did_the_last_one(
    weekly, group, block, neighbor, volunteer, second_volunteer
):
    due = weekly.next_due_at
    recurring_requests_spawn(now=due - timedelta(hours=2))
    first = RecurringOccurrence.objects.get().help_request
    help_request_claim(help_request=first, volunteer=second_volunteer)
    help_request_deliver(help_request=first, volunteer=second_volunteer)
    # Someone else delivered for the neighbour since: the recurring one's volunteer still wins.
    other = factories.HelpRequestFactory(neighbor=neighbor)
    help_request_claim(help_request=other, volunteer=volunteer)
    help_request_deliver(help_request=other, volunteer=volunteer)

    next_due = due + timedelta(weeks=1)
    recurring_requests_spawn(now=next_due - timedelta(hours=2))
    occurrence = RecurringOccurrence.objects.get(due_at=next_due)
    assert occurrence.offer_first_to_id == second_volunteer.pk
    candidates = rank_candidates(occurrence.help_request)
    assert candidates[0].volunteer_id == second_volunteer.pk
    with translation.override("en"):
        assert "did the last one" in candidates[0].reason


def test_only_staff_of_the_group_set_it_up(volunteer, other_organizer, neighbor):
    for actor in (volunteer.user, other_organizer):
        with pytest.raises(NotAllowed):
            recurring_request_create(
                actor=actor, neighbor=neighbor, kind="groceries", details="…", weekday=1, at=NOON
            )


def test_a_kind_the_group_does_not_offer_is_refused(operator, neighbor):
    with pytest.raises(Exception) as error:
        recurring_request_create(
            actor=operator, neighbor=neighbor, kind="consultation", details="…", weekday=1, at=NOON
        )
    assert "kind" in error.value.message_dict


# --- /intake/recurring/<id>/ per role ---------------------------------------------------


def _url(recurring):
    return f"/intake/recurring/{recurring.pk}/"


def _signed_in(client, who):
    client.force_login(getattr(who, "user", who))
    return client


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("operator", 200),
        ("organizer", 200),
        ("volunteer", 404),
        ("other_organizer", 404),
        ("coordinator", 404),
    ],
)
def test_who_opens_the_page(client, request, weekly, who, status):
    response = _signed_in(client, request.getfixturevalue(who)).get(_url(weekly))
    assert response.status_code == status
    if status == 200:
        assert "Хлеб, молоко, кефир" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, weekly):
    response = client.get(_url(weekly))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_pause_resume_stop_from_the_page(client, operator, weekly):
    client = _signed_in(client, operator)
    for action, state in (("pause", "paused"), ("resume", "active"), ("stop", "stopped")):
        assert client.post(_url(weekly), {"action": action}).status_code == 302
        weekly.refresh_from_db()
        assert weekly.state == state
    # A refused change is a message, not an error page.
    response = client.post(_url(weekly), {"action": "resume"}, follow=True)
    assert response.status_code == 200 and weekly.state == "stopped"


def test_others_cannot_change_it(client, other_organizer, volunteer, weekly):
    for who in (other_organizer, volunteer):
        assert _signed_in(client, who).post(_url(weekly), {"action": "stop"}).status_code == 404
    weekly.refresh_from_db()
    assert weekly.state == "active"


def test_page_queries_do_not_grow_with_occurrences(
    client, operator, weekly, django_assert_max_num_queries
):
    client = _signed_in(client, operator)
    due = weekly.next_due_at
    for week in range(6):
        recurring_requests_spawn(now=due + timedelta(weeks=week) - timedelta(hours=1))
    with django_assert_max_num_queries(8):
        assert client.get(_url(weekly)).status_code == 200


# --- Admin -------------------------------------------------------------------------------


def test_admin_sets_up_and_pauses(client, organizer, neighbor, other_organizer):
    client = _signed_in(client, organizer)
    response = client.post(
        reverse("admin:recurring_recurringrequest_add"),
        {
            "neighbor": neighbor.pk,
            "kind": "prescription",
            "details": "Рецепт у двери",
            "interval_weeks": 2,
            "weekday": 3,
            "time": "10:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    recurring = RecurringRequest.objects.get()
    assert (recurring.interval_weeks, recurring.block_id) == (2, neighbor.block_id)
    client.post(
        reverse("admin:recurring_recurringrequest_changelist"),
        {"action": "pause", "_selected_action": [recurring.pk]},
    )
    recurring.refresh_from_db()
    assert recurring.state == "paused"
    other = _signed_in(client, other_organizer).get(
        reverse("admin:recurring_recurringrequest_changelist")
    )
    assert list(other.context["cl"].result_list) == []
