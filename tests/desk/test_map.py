"""The map of blocks: a list by default, Leaflet and tiles only when a tile server is set."""

import json
import re

import pytest
from django.urls import reverse

from tests import factories
from volunteers.models import VolunteerStatus

pytestmark = pytest.mark.django_db

TILES = {"URL": "https://tiles.example.org/{z}/{x}/{y}.png", "ATTRIBUTION": "© OSM", "MAX_ZOOM": 18}


def map_url(group):
    return reverse("desk:group_map", args=[group.pk])


@pytest.fixture
def blocks(group, block, volunteer, neighbor):
    """T1: covered, one open request; GAP: no volunteer; PAUSED: only a paused volunteer."""
    factories.HelpRequestFactory(neighbor=neighbor)
    gap = factories.BlockFactory(group=group, code="GAP")
    paused_block = factories.BlockFactory(group=group, code="PAUSED")
    paused = factories.VolunteerFactory(user__group=group, status=VolunteerStatus.PAUSED)
    paused.blocks.add(paused_block)
    return {"T1": block, "GAP": gap, "PAUSED": paused_block}


def test_without_tiles_the_page_is_a_plain_list_and_loads_no_map(client, organizer, blocks):
    client.force_login(organizer)
    response = client.get("/dashboard/map/")
    page = response.content.decode()

    assert response.status_code == 200
    states = {b.code: (b.state, b.open_requests) for b in response.context["blocks"]}
    assert states == {"T1": ("waiting", 1), "GAP": ("uncovered", 0), "PAUSED": ("uncovered", 0)}
    assert "leaflet" not in page.lower()
    assert "block-map-data" not in page
    assert "<script" not in page.replace('<script src="/static/js/app.js" defer></script>', "")
    assert "нет волонтёра" in page  # Russian first
    assert "http://" not in page and "https://" not in page


def test_with_tiles_the_data_is_json_and_the_script_is_static(client, organizer, blocks, settings):
    settings.MAP_TILES = TILES
    client.force_login(organizer)
    page = client.get("/dashboard/map/").content.decode()

    assert "/static/vendor/leaflet/leaflet.js" in page
    assert "/static/js/desk-map.js" in page
    # No inline script: only src= scripts and the JSON data element.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline == [' id="block-map-data" type="application/json"']
    data = json.loads(re.search(r'id="block-map-data"[^>]*>(.*?)</script>', page, re.S)[1])
    assert data["tiles"]["url"] == TILES["URL"]
    assert {b["code"]: b["state"] for b in data["blocks"]} == {
        "T1": "waiting",
        "GAP": "uncovered",
        "PAUSED": "uncovered",
    }
    # The list of the same blocks stays on the page.
    assert page.count('<tr class="state-') == 3


def test_volunteer_pages_never_load_leaflet(client, volunteer, settings):
    settings.MAP_TILES = TILES
    client.force_login(volunteer.user)
    for url in ("/tasks/", "/profile/", "/history/"):
        assert "leaflet" not in client.get(url).content.decode().lower()


@pytest.mark.parametrize("role_fixture", ["operator", "volunteer"])
def test_operators_and_volunteers_get_403(client, request, role_fixture, group):
    user = request.getfixturevalue(role_fixture)
    client.force_login(getattr(user, "user", user))
    assert client.get("/dashboard/map/").status_code == 403
    assert client.get(map_url(group)).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, group):
    assert client.get(map_url(group)).status_code == 302


def test_another_groups_organizer_gets_404(client, other_organizer, group):
    client.force_login(other_organizer)
    assert client.get(map_url(group)).status_code == 404


def test_coordinator_sees_their_networks_maps_only(
    client, network_coordinator, group, other_group, blocks
):
    client.force_login(network_coordinator)
    assert client.get(map_url(group)).status_code == 200
    assert client.get(map_url(other_group)).status_code == 404
    assert client.get("/dashboard/map/").status_code == 302


def test_map_queries_do_not_grow_with_blocks(
    client, organizer, group, django_assert_max_num_queries
):
    for _ in range(30):
        factories.HelpRequestFactory(neighbor__block=factories.BlockFactory(group=group))
    client.force_login(organizer)
    with django_assert_max_num_queries(6):
        assert client.get("/dashboard/map/").status_code == 200
