"""Who gets the volunteer pages: verified volunteers; everyone else a page saying why."""

import pytest

from tests import factories
from tests.volunteers.conftest import page_text
from volunteers.models import VolunteerStatus

PAGES = ["/tasks/", "/profile/", "/history/", "/safety/"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", PAGES)
def test_verified_volunteer_sees_every_page(volunteer_client, url):
    assert volunteer_client.get(url).status_code == 200


INACTIVE = [
    (VolunteerStatus.PENDING, "Your account is waiting for verification"),
    (VolunteerStatus.PAUSED, "Your account is paused"),
    (VolunteerStatus.REMOVED, "Your account is closed"),
]


@pytest.mark.parametrize(
    ("status", "heading", "url"),
    [
        (status, heading, url)
        for status, heading in INACTIVE
        for url in PAGES
        # A volunteer waiting for verification reads the safety rules (test below).
        if (status, url) != (VolunteerStatus.PENDING, "/safety/")
    ],
)
def test_inactive_volunteer_sees_only_their_status(
    client, group, help_request, status, heading, url
):
    profile = factories.VolunteerFactory(user__group=group, status=status, verified_at=None)
    client.force_login(profile.user)
    response = client.get(url)
    assert response.status_code == 403
    text = page_text(response)
    assert heading in text
    # Nothing else: no menu, no task, no address.
    assert 'href="/history/"' not in text
    assert help_request.block.address not in text


def test_pending_volunteer_cannot_claim(client, pending_volunteer, help_request):
    client.force_login(pending_volunteer.user)
    response = client.post(f"/tasks/{help_request.pk}/claim/")
    assert response.status_code == 403
    help_request.refresh_from_db()
    assert help_request.status == "open"


def test_pending_volunteer_cannot_open_a_task(client, pending_volunteer, help_request):
    client.force_login(pending_volunteer.user)
    response = client.get(f"/tasks/{help_request.pk}/")
    assert response.status_code == 403
    assert help_request.neighbor.name not in page_text(response)


@pytest.mark.parametrize(
    "role_fixture", ["organizer", "operator", "coordinator", "network_coordinator"]
)
def test_staff_get_a_link_to_the_organizers_pages(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    response = client.get("/tasks/")
    assert response.status_code == 403
    assert 'href="/admin/"' in page_text(response)


def test_user_without_volunteer_profile_is_told_to_ask_an_organizer(client, group):
    user = factories.UserFactory(group=group)
    client.force_login(user)
    response = client.get("/tasks/")
    assert response.status_code == 403
    assert "not a volunteer account" in page_text(response)


def test_inactive_user_account_is_signed_out(client, volunteer):
    client.force_login(volunteer.user)
    volunteer.user.is_active = False
    volunteer.user.save()
    response = client.get("/tasks/")
    assert response.status_code == 302


def test_pending_volunteer_reads_the_safety_rules_and_nothing_else(client, group, help_request):
    profile = factories.VolunteerFactory(
        user__group=group,
        status=VolunteerStatus.PENDING,
        verified_at=None,
        safety_protocol_accepted_at=None,
    )
    client.force_login(profile.user)
    response = client.get("/safety/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = page_text(response)
    assert "waiting for verification" in text
    assert "Hand over without contact" in text
    assert 'href="/tasks/"' not in text
    assert 'href="/history/"' not in text
    assert help_request.block.address not in text
