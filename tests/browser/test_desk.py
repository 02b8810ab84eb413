"""The organizer's desk in chromium at 360 px and 1280 px: axe-core finds nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from requests.models import HelpRequest, PaidBy
from requests.services import help_request_claim, help_request_deliver
from tests import factories
from tests.browser.conftest import SCREENSHOTS
from volunteers.models import VolunteerStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Word-123"
WIDTHS = (360, 1280)


def check_desk_page(page, axe_source: str, name: str) -> None:
    """At each width: no axe violation, no sideways scrolling of the page; then a screenshot."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [
            {"rule": v["id"], "help": v["help"], "where": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        assert violations == [], f"{name} at {width}: {json.dumps(violations, indent=1)}"
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name}: {scroll_width} px wide at {width} px"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.fixture
def desk_scene(group, block, neighbor, volunteer, network):
    late = factories.HelpRequestFactory(neighbor=neighbor)
    HelpRequest.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(hours=6))
    done = factories.HelpRequestFactory(neighbor=neighbor)
    help_request_claim(help_request=done, volunteer=volunteer)
    help_request_deliver(
        help_request=done, volunteer=volunteer, spent=Decimal("450"), paid_by=PaidBy.VOLUNTEER
    )
    factories.VolunteerFactory(
        user__group=group, user__first_name="Ирина", status=VolunteerStatus.PENDING
    )
    factories.BlockFactory(group=group, code="GAP")
    organizer = factories.OrganizerFactory(username="desk-organizer", group=group)
    coordinator = factories.CoordinatorFactory(username="desk-coordinator", network=network)
    return organizer, coordinator


def _sign_in(page, base_url: str, login: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Phone number or username").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_organizer_desk_is_accessible(browser_page, live_server, axe_source, desk_scene):
    page, base = browser_page, live_server.url
    _sign_in(page, base, "desk-organizer")
    page.goto(f"{base}/dashboard/")
    assert page.get_by_role("heading", name="Needs you now").is_visible()
    check_desk_page(page, axe_source, "desk-organizer")


def test_network_desk_is_accessible(browser_page, live_server, axe_source, desk_scene):
    page, base = browser_page, live_server.url
    _sign_in(page, base, "desk-coordinator")
    page.goto(f"{base}/dashboard/")
    assert page.get_by_role("heading", name="Desk: the network's groups").is_visible()
    check_desk_page(page, axe_source, "desk-network")


def test_block_list_without_tiles_is_accessible(browser_page, live_server, axe_source, desk_scene):
    page, base = browser_page, live_server.url
    _sign_in(page, base, "desk-organizer")
    page.goto(f"{base}/dashboard/map/")
    assert page.get_by_role("heading", name="Blocks of").is_visible()
    check_desk_page(page, axe_source, "desk-map-list")


def test_map_with_tiles_draws_every_block(
    browser_page, live_server, axe_source, desk_scene, settings
):
    # Tiles from this very server, so the test still asks no other host.
    tile = "/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    settings.MAP_TILES = {"URL": live_server.url + tile, "ATTRIBUTION": "test", "MAX_ZOOM": 18}
    page, base = browser_page, live_server.url
    _sign_in(page, base, "desk-organizer")
    page.goto(f"{base}/dashboard/map/")
    page.wait_for_selector(".block-pin")
    assert page.locator(".block-pin").count() == page.locator("tbody tr").count() == 2
    assert page.locator(".block-pin.state-uncovered").count() == 1
    check_desk_page(page, axe_source, "desk-map-tiles")
