"""Budgets of every volunteer page: < 30 KB compressed with its CSS and JS, nothing from
other hosts, no inline script (CSP), a phone viewport."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

from requests.models import Kind, Urgency
from tests import factories

BUDGET_BYTES = 30 * 1024
ASSET = re.compile(r'<(?:link|script)[^>]+(?:href|src)="/static/([^"]+)"')


def _page_weight(html: str) -> int:
    """Gzipped bytes of the HTML plus every stylesheet and script it links."""
    total = len(gzip.compress(html.encode(), compresslevel=6))
    for path in ASSET.findall(html):
        found = finders.find(path)
        assert found, f"linked asset {path} is missing"
        with open(found, "rb") as asset:
            total += len(gzip.compress(asset.read(), compresslevel=6))
    return total


@pytest.fixture
def full_list(neighbor, volunteer, group):
    # A full page of tasks with the longest labels, so the budget holds in the worst case.
    far = factories.BlockFactory(
        group=group, address="Большой Сампсониевский проспект, дом 108, корпус 2, литера А"
    )
    factories.HelpRequestFactory.create_batch(
        25, neighbor__block=far, kind=Kind.PRESCRIPTION, urgency=Urgency.URGENT
    )


def _volunteer_pages(client, volunteer, help_request, claimed):
    client.force_login(volunteer.user)
    yield "/tasks/", client.get("/tasks/")
    yield "open task", client.get(f"/tasks/{help_request.pk}/")
    yield "claimed task", client.get(f"/tasks/{claimed.pk}/")
    yield "/safety/", client.get("/safety/")
    yield "/profile/", client.get("/profile/")
    yield "/history/", client.get("/history/")
    client.logout()
    yield "/accounts/login/", client.get("/accounts/login/")


@pytest.fixture
def pages(client, volunteer, help_request, full_list, neighbor):
    from requests.services import help_request_claim

    claimed = help_request_claim(
        help_request=factories.HelpRequestFactory(neighbor=neighbor), volunteer=volunteer
    )
    return list(_volunteer_pages(client, volunteer, help_request, claimed))


def test_every_volunteer_page_is_under_30_kb_compressed(pages):
    for name, response in pages:
        assert response.status_code == 200, name
        weight = _page_weight(response.content.decode())
        assert weight < BUDGET_BYTES, f"{name}: {weight} bytes compressed"


def test_status_page_is_under_budget_too(client, pending_volunteer):
    client.force_login(pending_volunteer.user)
    assert _page_weight(client.get("/tasks/").content.decode()) < BUDGET_BYTES


def test_no_page_asks_another_host_for_anything(pages, settings):
    for name, response in pages:
        html = response.content.decode()
        # Only links to this site: no CDN, no web fonts, no analytics.
        assert not re.search(r'(?:src|href|action)="(?:https?:)?//', html), name
        assert "@import" not in html, name
    for path in ("css/app.css", "js/app.js"):
        with open(finders.find(path), encoding="utf-8") as asset:
            text = asset.read()
        assert "http://" not in text and "https://" not in text and "@import" not in text


def test_no_inline_script_or_style(pages):
    for name, response in pages:
        html = response.content.decode()
        assert re.findall(r"<script(?![^>]*\ssrc=)", html) == [], name
        assert "<style" not in html and " style=" not in html and " on" + "click=" not in html


def test_every_page_declares_a_phone_viewport(pages):
    for name, response in pages:
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in (
            response.content.decode()
        ), name
