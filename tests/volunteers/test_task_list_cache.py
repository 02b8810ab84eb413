"""The cached task list (requests.list_cache): served while the group is unchanged, rebuilt
after every change that can alter a list, never stale across groups, languages or volunteers,
and the page still works with the cache down."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests import list_cache
from requests.models import RequestKind, Status
from requests.services import help_request_claim, help_request_release
from tests import factories
from tests.volunteers.conftest import page_text


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.TASK_LIST_CACHE_SECONDS = 60


def _task_ids(response) -> list[str]:
    return re.findall(r'href="/tasks/([0-9a-f-]{36})/"', page_text(response))


def _queries(client, url="/tasks/") -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_second_view_reuses_the_list_without_its_queries(volunteer_client, neighbor):
    factories.HelpRequestFactory(neighbor=neighbor)
    built, first = _queries(volunteer_client)
    reused, second = _queries(volunteer_client)
    # Session and user (with group and profile) remain: no kinds, blocks, count or list.
    assert reused == 2 < built
    assert _task_ids(first) == _task_ids(second)


def test_a_new_request_appears_at_once(volunteer_client, neighbor):
    volunteer_client.get("/tasks/")
    new = factories.HelpRequestFactory(neighbor=neighbor)
    assert str(new.pk) in _task_ids(volunteer_client.get("/tasks/"))


def test_a_claim_by_someone_else_removes_the_task(volunteer_client, help_request, group, block):
    assert str(help_request.pk) in _task_ids(volunteer_client.get("/tasks/"))
    other = factories.VolunteerFactory(user__username="volunteer9", user__group=group)
    other.blocks.add(block)
    help_request_claim(help_request=help_request, volunteer=other)
    assert str(help_request.pk) not in _task_ids(volunteer_client.get("/tasks/"))
    help_request_release(help_request=help_request, volunteer=other, reason="ill")
    assert str(help_request.pk) in _task_ids(volunteer_client.get("/tasks/"))


def test_my_own_claim_moves_the_task_to_my_tasks(volunteer_client, help_request, volunteer):
    assert "My tasks" not in page_text(volunteer_client.get("/tasks/"))
    help_request_claim(help_request=help_request, volunteer=volunteer)
    assert "My tasks" in page_text(volunteer_client.get("/tasks/"))


def test_a_block_change_is_shown(volunteer_client, help_request, block):
    volunteer_client.get("/tasks/")
    block.address = "Торжковская ул., 99"
    block.save()
    assert "Торжковская ул., 99" in page_text(volunteer_client.get("/tasks/"))


def test_leaving_a_block_changes_the_heading(volunteer_client, help_request, volunteer, block):
    assert "Open tasks in my blocks" in page_text(volunteer_client.get("/tasks/"))
    volunteer.blocks.remove(block)
    assert "Open tasks in my blocks" not in page_text(volunteer_client.get("/tasks/"))


def test_another_groups_change_keeps_the_entry(volunteer_client, help_request, other_block):
    volunteer_client.get("/tasks/")
    factories.HelpRequestFactory(neighbor__block=other_block)
    reused, _response = _queries(volunteer_client)
    assert reused == 2


def test_each_language_and_filter_has_its_own_entry(volunteer_client, help_request):
    volunteer_client.get("/tasks/")
    with CaptureQueriesContext(connection) as russian:
        volunteer_client.get("/tasks/", HTTP_ACCEPT_LANGUAGE="ru")
    with CaptureQueriesContext(connection) as english_again:
        volunteer_client.get("/tasks/")
    assert len(english_again) == 2 < len(russian)
    filtered = volunteer_client.get("/tasks/?kind=medicine")
    assert str(help_request.pk) not in _task_ids(filtered)  # the factory's kind is groceries


def test_each_volunteer_has_their_own_entry(client, volunteer, help_request, group):
    other = factories.VolunteerFactory(user__username="volunteer9", user__group=group)
    help_request_claim(help_request=help_request, volunteer=volunteer)
    client.force_login(volunteer.user)
    assert "My tasks" in page_text(client.get("/tasks/"))
    client.force_login(other.user)
    assert "My tasks" not in page_text(client.get("/tasks/"))


def test_a_new_kind_of_the_group_is_offered_at_once(volunteer_client, help_request, group):
    assert 'value="firewood"' not in page_text(volunteer_client.get("/tasks/"))
    firewood = RequestKind.objects.create(group=group, slug="firewood", name="Дрова")
    assert 'value="firewood"' in page_text(volunteer_client.get("/tasks/"))
    firewood.is_active = False
    firewood.save()
    assert 'value="firewood"' not in page_text(volunteer_client.get("/tasks/"))


def test_a_built_in_kind_withdrawn_leaves_every_groups_filter(volunteer_client, help_request):
    assert 'value="medicine"' in page_text(volunteer_client.get("/tasks/"))
    medicine = RequestKind.objects.get(group=None, slug="medicine")
    medicine.is_active = False
    medicine.save()
    assert 'value="medicine"' not in page_text(volunteer_client.get("/tasks/"))


def test_another_groups_kind_keeps_the_entry(volunteer_client, help_request, other_block):
    volunteer_client.get("/tasks/")
    RequestKind.objects.create(group=other_block.group, slug="firewood", name="Дрова")
    reused, _response = _queries(volunteer_client)
    assert reused == 2


def test_an_unknown_filter_is_refused_every_time_and_never_stored(volunteer_client, help_request):
    _queries(volunteer_client, "/tasks/?kind=weapons")
    again, response = _queries(volunteer_client, "/tasks/?kind=weapons")
    assert again > 2  # built again: a hit costs 2
    assert str(help_request.pk) in _task_ids(response)  # the whole list, with the error
    assert "weapons" in page_text(response)


def test_a_list_built_during_a_change_is_not_served(group):
    """The version is read before the rows: a change committed meanwhile bumps it."""
    parts = ("page", 1)
    version, found = list_cache.lookup(group_id=group.pk, parts=parts)
    assert found is None
    list_cache.task_lists_changed(group_id=group.pk)  # committed while the list was built
    list_cache.store(group_id=group.pk, parts=parts, version=version, value="old rows")
    assert list_cache.lookup(group_id=group.pk, parts=parts)[1] is None
    version, _found = list_cache.lookup(group_id=group.pk, parts=parts)
    list_cache.store(group_id=group.pk, parts=parts, version=version, value="new rows")
    assert list_cache.lookup(group_id=group.pk, parts=parts)[1] == "new rows"


@pytest.mark.usefixtures("cache_down")
def test_the_page_works_with_the_cache_down(volunteer_client, help_request):
    response = volunteer_client.get("/tasks/")
    assert response.status_code == 200
    assert str(help_request.pk) in _task_ids(response)
    assert help_request.status == Status.OPEN
