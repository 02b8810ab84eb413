"""/tasks/: my tasks first, then my blocks, then the group nearest first; no personal data."""

import re

import pytest

from requests.models import Kind, RequestKind, Status, Urgency
from tests import factories
from tests.volunteers.conftest import page_text


def _task_ids(response) -> list[str]:
    return re.findall(r'href="/tasks/([0-9a-f-]{36})/"', page_text(response))


@pytest.fixture
def far_block(group):
    return factories.BlockFactory(group=group, code="FAR", latitude=60.05, longitude=30.40)


@pytest.fixture
def near_block(group):
    return factories.BlockFactory(group=group, code="NEAR", latitude=59.9865, longitude=30.3015)


def test_list_orders_mine_then_my_blocks_then_group_nearest_first(
    volunteer_client, volunteer, block, far_block, near_block
):
    far = factories.HelpRequestFactory(neighbor__block=far_block)
    near = factories.HelpRequestFactory(neighbor__block=near_block)
    in_my_block = factories.HelpRequestFactory(neighbor__block=block)
    mine = factories.HelpRequestFactory(
        neighbor__block=far_block, status=Status.CLAIMED, volunteer=volunteer
    )
    response = volunteer_client.get("/tasks/")
    assert _task_ids(response) == [str(t.pk) for t in (mine, in_my_block, near, far)]
    text = page_text(response)
    assert text.index("My tasks") < text.index("Open tasks in my blocks")
    assert text.index("Open tasks in my blocks") < text.index("Other open tasks of the group")


def test_list_shows_kind_address_distance_due_and_urgency(volunteer_client, block, neighbor):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    block.latitude, block.longitude = 59.985, 30.300
    block.save()
    due = datetime(2026, 3, 14, 18, 30, tzinfo=ZoneInfo("Europe/Moscow"))
    factories.HelpRequestFactory(
        neighbor=neighbor, kind=Kind.MEDICINE, urgency=Urgency.URGENT, due_at=due
    )
    text = page_text(volunteer_client.get("/tasks/"))
    assert "Medicine" in text
    assert "Urgent" in text
    assert block.address in text
    # Base (59.986, 30.301) to the block (59.985, 30.300): 124 m, shown rounded to 10 m.
    assert "120 m" in text
    assert 'datetime="2026-03-14T18:30:00+03:00"' in text


def test_list_never_shows_personal_details_of_open_tasks(volunteer_client, help_request):
    text = page_text(volunteer_client.get("/tasks/"))
    neighbor = help_request.neighbor
    for secret in (neighbor.name, help_request.code_word, "+7 911", neighbor.notes, "Хлеб"):
        assert secret not in text


def test_list_leaves_out_other_groups_and_other_volunteers_tasks(
    volunteer_client, second_volunteer, other_block, help_request, block
):
    other_group_task = factories.HelpRequestFactory(neighbor__block=other_block)
    someone_elses = factories.HelpRequestFactory(
        neighbor__block=block, status=Status.CLAIMED, volunteer=second_volunteer
    )
    ids = _task_ids(volunteer_client.get("/tasks/"))
    assert ids == [str(help_request.pk)]
    assert str(other_group_task.pk) not in ids
    assert str(someone_elses.pk) not in ids


def test_kind_filter_keeps_only_that_kind(volunteer_client, neighbor):
    groceries = factories.HelpRequestFactory(neighbor=neighbor, kind=Kind.GROCERIES)
    medicine = factories.HelpRequestFactory(neighbor=neighbor, kind=Kind.MEDICINE)
    ids = _task_ids(volunteer_client.get("/tasks/", {"kind": "medicine"}))
    assert ids == [str(medicine.pk)]
    assert str(groceries.pk) not in ids


def test_unknown_kind_shows_an_error_and_all_tasks(volunteer_client, help_request):
    response = volunteer_client.get("/tasks/", {"kind": "weapons"})
    assert response.status_code == 200
    assert "Select a valid choice" in page_text(response)
    assert _task_ids(response) == [str(help_request.pk)]


def test_empty_list_says_what_to_do(volunteer_client):
    text = page_text(volunteer_client.get("/tasks/"))
    assert "There are no open tasks in your group right now" in text
    assert 'href="/profile/"' in text


def test_empty_filtered_list_offers_all_kinds(volunteer_client, help_request):
    text = page_text(volunteer_client.get("/tasks/", {"kind": "other"}))
    assert "No tasks of this kind right now." in text
    assert "Show tasks of all kinds" in text


def test_unavailable_volunteer_is_reminded_of_the_profile_switch(volunteer_client, volunteer):
    volunteer.is_available = False
    volunteer.save()
    assert "You are marked as not available" in page_text(volunteer_client.get("/tasks/"))


def test_list_is_paginated_by_twenty_and_keeps_the_filter(volunteer_client, neighbor):
    factories.HelpRequestFactory.create_batch(25, neighbor=neighbor, kind=Kind.MEDICINE)
    first = volunteer_client.get("/tasks/", {"kind": "medicine"})
    assert len(_task_ids(first)) == 20
    assert 'href="?kind=medicine&amp;page=2"' in page_text(first)
    second = volunteer_client.get("/tasks/", {"kind": "medicine", "page": 2})
    assert len(_task_ids(second)) == 5
    assert not set(_task_ids(first)) & set(_task_ids(second))


def test_bad_page_number_shows_the_last_page(volunteer_client, help_request):
    response = volunteer_client.get("/tasks/", {"page": "999"})
    assert response.status_code == 200
    assert _task_ids(response) == [str(help_request.pk)]


def _count_queries(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    RequestKind.objects.clear_label_cache()  # the same start for both counts
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/tasks/")
    assert response.status_code == 200
    return len(captured.captured_queries), len(_task_ids(response))


def test_task_list_query_count_does_not_grow_with_tasks(
    volunteer_client, volunteer, block, far_block, neighbor, django_assert_max_num_queries
):
    factories.HelpRequestFactory.create_batch(3, neighbor=neighbor)
    few, shown_few = _count_queries(volunteer_client, django_assert_max_num_queries)
    factories.HelpRequestFactory.create_batch(14, neighbor=neighbor)
    factories.HelpRequestFactory.create_batch(10, neighbor__block=far_block)
    factories.HelpRequestFactory(neighbor=neighbor, status=Status.CLAIMED, volunteer=volunteer)
    many, shown_many = _count_queries(volunteer_client, django_assert_max_num_queries)
    assert (shown_few, shown_many) == (3, 20)
    assert few == many
    # Session, user (with group and profile), the group's kinds, my blocks, count, page:
    # nothing per row. (Kind names come from a per-process cache, warm by now.)
    with django_assert_max_num_queries(6):
        volunteer_client.get("/tasks/")
