"""GET /api/v1/tasks/ from the task list cache: reused while the group is unchanged, with the
resident's details of my tasks read live and never stored in the cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests.models import RequestKind
from requests.services import help_request_claim
from tests import factories
from tests.api.conftest import token_client


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.TASK_LIST_CACHE_SECONDS = 60


def _get(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/tasks/")
    assert response.status_code == 200
    return len(queries), response.json()


def _cached_values() -> bytes:
    # LocMemCache keeps pickles; with Redis the test reads what the backend holds.
    store = getattr(cache, "_cache", {})
    if isinstance(store, dict):
        return b"".join(store.values())
    client = cache._cache.get_client()
    return b"".join(client.get(key) or b"" for key in client.keys("*tasklist:*"))


def test_second_call_reuses_the_list(volunteer, neighbor):
    factories.HelpRequestFactory(neighbor=neighbor)
    client = token_client(volunteer.user)
    built, first = _get(client)
    reused, second = _get(client)
    assert reused < built
    assert first == second


def test_my_task_shows_details_live_and_the_cache_holds_none(volunteer, help_request):
    help_request_claim(help_request=help_request, volunteer=volunteer)
    client = token_client(volunteer.user)
    _built, first = _get(client)
    _reused, second = _get(client)
    for body in (first, second):
        mine = body["results"][0]
        assert mine["held_by_me"] is True
        assert mine["neighbor"]["name"] == help_request.neighbor.name
        assert mine["code_word"] == help_request.code_word
    # The cached path (public row + the resident read live) answers as the built one,
    # distance included.
    assert first == second
    stored = _cached_values()
    assert stored, "the list was not cached"
    assert help_request.code_word.encode() not in stored
    assert help_request.neighbor.name.encode() not in stored


def test_a_claim_by_someone_else_removes_the_task(volunteer, help_request, group, block):
    client = token_client(volunteer.user)
    _n, before = _get(client)
    assert str(help_request.pk) in [row["id"] for row in before["results"]]
    other = factories.VolunteerFactory(user__username="volunteer9", user__group=group)
    other.blocks.add(block)
    help_request_claim(help_request=help_request, volunteer=other)
    _n, after = _get(client)
    assert str(help_request.pk) not in [row["id"] for row in after["results"]]


def test_each_volunteer_has_their_own_entry(volunteer, help_request, group):
    other = factories.VolunteerFactory(user__username="volunteer9", user__group=group)
    help_request_claim(help_request=help_request, volunteer=volunteer)
    _n, mine = _get(token_client(volunteer.user))
    _n, theirs = _get(token_client(other.user))
    assert mine["results"] and mine["results"][0]["held_by_me"]
    assert all(row["id"] != str(help_request.pk) for row in theirs["results"])


def test_a_hit_costs_the_token_and_my_tasks_read_live(volunteer, help_request, neighbor):
    client = token_client(volunteer.user)
    _get(client)
    reused, _body = _get(client)
    # The token (with its user, group and profile) only: no kinds, blocks, count or list.
    assert reused == 1
    help_request_claim(help_request=help_request, volunteer=volunteer)
    _get(client)
    reused, body = _get(client)
    # And for the task I hold: its resident read now, and the record that I saw them.
    assert reused == 3
    assert body["results"][0]["neighbor"]["name"] == neighbor.name


def test_a_kind_withdrawn_is_refused_at_once(volunteer, help_request):
    client = token_client(volunteer.user)
    assert client.get("/api/v1/tasks/", {"kind": "medicine"}).status_code == 200
    medicine = RequestKind.objects.get(group=None, slug="medicine")
    medicine.is_active = False
    medicine.save()
    response = client.get("/api/v1/tasks/", {"kind": "medicine"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_an_invalid_query_is_refused_every_time(volunteer, help_request):
    client = token_client(volunteer.user)
    for _attempt in range(2):
        assert client.get("/api/v1/tasks/", {"kind": "weapons"}).status_code == 400
        assert client.get("/api/v1/tasks/", {"page": "9"}).status_code == 404
