"""Setting up a recurring request from the intake desk (/intake/recurring/new/), the group's
list (/intake/recurring/), the links to them, per role, and the schedule's wording."""

from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from recurring.models import RecurringChange, RecurringRequest, interval_label, schedule_label
from recurring.services import recurring_request_create
from tests import factories

pytestmark = pytest.mark.django_db

NEW = "/intake/recurring/new/"
LIST = "/intake/recurring/"


def _signed_in(client, who):
    client.force_login(getattr(who, "user", who))
    return client


def _data(**overrides):
    data = {
        "kind": "groceries",
        "needs": ["bread_milk"],
        "details": "Хлеб и кефир",
        "interval_weeks": "2",
        "weekday": "1",
        "time": "11:30",
    }
    data.update(overrides)
    return data


@pytest.fixture
def paper_request(neighbor):
    due = timezone.make_aware(datetime(2025, 12, 4, 16, 0))  # a Thursday
    return factories.HelpRequestFactory(
        neighbor=neighbor, kind="prescription", needs=["medicine_prescription"], due_at=due
    )


# --- Wording ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weeks", "words"),
    [(1, "Каждую неделю"), (2, "Каждые 2 недели"), (4, "Каждые 4 недели"), (5, "Каждые 5 недель")],
)
def test_russian_interval_has_the_right_plural(weeks, words):
    with translation.override("ru"):
        assert interval_label(weeks) == words
        label = schedule_label(weeks=weeks, weekday=1, at=time(12, 0))
    assert label == f"{words} во вторник, к 12:00"
    assert "1 неделю" not in label


def test_english_schedule():
    with translation.override("en"):
        assert (
            schedule_label(weeks=1, weekday=2, at=time(9, 5)) == "Every week on Wednesday, by 09:05"
        )
        assert (
            schedule_label(weeks=3, weekday=0, at=time(9, 5)) == "Every 3 weeks on Monday, by 09:05"
        )


# --- Set up from the desk, per role ------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("operator", 200),
        ("organizer", 200),
        ("volunteer", 404),
        ("other_organizer", 404),
        ("coordinator", 404),
        ("network_coordinator", 404),
        ("outsider_volunteer", 404),
    ],
)
def test_who_opens_the_setup_form(client, request, neighbor, who, status):
    response = _signed_in(client, request.getfixturevalue(who)).get(
        NEW, {"resident": str(neighbor.pk)}
    )
    assert response.status_code == status
    if status == 200:
        assert neighbor.name in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, neighbor):
    response = client.get(NEW, {"resident": str(neighbor.pk)})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_operator_sets_it_up_through_the_service(client, operator, neighbor):
    with translation.override("ru"):
        response = _signed_in(client, operator).post(
            f"{NEW}?resident={neighbor.pk}", _data(), follow=True
        )
    recurring = RecurringRequest.objects.get()
    assert response.redirect_chain[-1][0] == reverse("recurring:detail", args=[recurring.pk])
    assert (recurring.neighbor, recurring.block_id, recurring.created_by) == (
        neighbor,
        neighbor.block_id,
        operator,
    )
    assert (recurring.interval_weeks, recurring.weekday, recurring.time) == (2, 1, time(11, 30))
    assert recurring.needs == ["bread_milk"]
    assert list(RecurringChange.objects.values_list("action", "actor")) == [("create", operator.pk)]
    page = response.content.decode()
    assert "Каждые 2 недели во вторник, к 11:30" in page


def test_organizer_sets_it_up_from_a_request_prefilled(client, organizer, paper_request):
    client = _signed_in(client, organizer)
    response = client.get(NEW, {"request": str(paper_request.pk)})
    form = response.context["form"]
    assert form.initial["kind"] == "prescription"
    assert form.initial["needs"] == ["medicine_prescription"]
    assert (form.initial["weekday"], form.initial["time"]) == (3, time(16, 0))
    response = client.post(
        f"{NEW}?request={paper_request.pk}", _data(kind="prescription", weekday="3")
    )
    assert response.status_code == 302
    assert RecurringRequest.objects.get().neighbor == paper_request.neighbor


def test_bad_input_keeps_what_was_typed(client, operator, neighbor):
    response = _signed_in(client, operator).post(
        f"{NEW}?resident={neighbor.pk}", _data(details="", time="25:99")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"details", "time"}
    assert (form["interval_weeks"].value(), form["weekday"].value()) == ("2", "1")
    assert RecurringRequest.objects.count() == 0


def test_others_cannot_set_one_up(client, other_organizer, volunteer, neighbor, other_block):
    for who in (other_organizer, volunteer):
        response = _signed_in(client, who).post(f"{NEW}?resident={neighbor.pk}", _data())
        assert response.status_code == 404
    # An operator cannot set one up for another group's resident either.
    stranger = factories.NeighborFactory(block=other_block)
    operator = factories.OperatorFactory(username="op-x", group=neighbor.block.group)
    response = _signed_in(client, operator).post(f"{NEW}?resident={stranger.pk}", _data())
    assert response.status_code == 404
    assert RecurringRequest.objects.count() == 0


def test_setup_form_queries_are_bounded(client, operator, neighbor, django_assert_max_num_queries):
    client = _signed_in(client, operator)
    with django_assert_max_num_queries(10):
        assert client.get(NEW, {"resident": str(neighbor.pk)}).status_code == 200


# --- The list and the links ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("operator", 200),
        ("organizer", 200),
        ("volunteer", 404),
        ("other_organizer", 200),
        ("coordinator", 404),
        ("network_coordinator", 404),
        ("outsider_volunteer", 404),
    ],
)
def test_who_sees_the_list(client, request, operator, neighbor, who, status):
    recurring_request_create(
        actor=operator, neighbor=neighbor, kind="groceries", details="…", weekday=4, at=time(10)
    )
    response = _signed_in(client, request.getfixturevalue(who)).get(LIST)
    assert response.status_code == status
    if status == 200:
        # Another group's organizer has a desk of their own, without this resident.
        shown = neighbor.name in response.content.decode()
        assert shown == (who != "other_organizer")


def test_list_queries_do_not_grow(client, operator, block, django_assert_max_num_queries):
    for n in range(6):
        resident = factories.NeighborFactory(block=block)
        recurring_request_create(
            actor=operator, neighbor=resident, kind="groceries", details="…", weekday=n, at=time(9)
        )
    client = _signed_in(client, operator)
    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200


def test_request_page_and_desk_link_to_the_setup(client, operator, paper_request):
    client = _signed_in(client, operator)
    page = client.get(reverse("intake:request", args=[paper_request.pk])).content.decode()
    assert f"{NEW}?request={paper_request.pk}" in page
    neighbor = paper_request.neighbor
    desk = client.get(reverse("intake:desk"), {"block": neighbor.block_id, "flat": neighbor.flat})
    assert f"{NEW}?resident={neighbor.pk}" in desk.content.decode()
