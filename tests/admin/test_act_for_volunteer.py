"""Admin actions that act for a volunteer: give the selected requests to a named volunteer, and
"could not deliver" for the holder. Through requests.services, recorded with on_behalf_of,
scoped to the user's group."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from requests.models import RequestEvent, Status
from requests.services import help_request_claim
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/requests/helprequest/"


@pytest.fixture
def walker(group, block):
    profile = factories.VolunteerFactory(
        user__username="walker",
        user__first_name="Пётр",
        user__last_name="Кузнецов",
        user__group=group,
        no_smartphone=True,
    )
    profile.blocks.add(block)
    return profile


@pytest.fixture
def held(help_request, walker, operator):
    help_request_claim(help_request=help_request, volunteer=walker, acting_user=operator)
    return help_request


def _post(client, action, requests, **data):
    return client.post(
        CHANGELIST,
        {"action": action, ACTION_CHECKBOX_NAME: [str(r.pk) for r in requests], **data},
    )


@pytest.mark.parametrize("role", ["operator", "organizer"])
def test_give_asks_for_the_volunteer_then_gives(login, request, help_request, walker, role):
    staff = request.getfixturevalue(role)
    client = login(staff)
    asked = _post(client, "give_to_volunteer", [help_request])
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Пётр Кузнецов" in page
    # The page lists the selected requests and sends them on with the answer.
    assert f"{help_request.short_id} · {help_request.block.code}" in page
    assert f'name="_selected_action" value="{help_request.pk}"' in page
    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN

    done = _post(client, "give_to_volunteer", [help_request], apply="1", volunteer=str(walker.pk))
    assert done.status_code == 302
    help_request.refresh_from_db()
    assert (help_request.status, help_request.volunteer) == (Status.CLAIMED, walker)
    event = RequestEvent.objects.get(help_request=help_request, action="claim")
    assert (event.actor, event.on_behalf_of) == (staff, walker.user)


def test_give_offers_only_the_groups_volunteers(login, organizer, help_request, outsider_volunteer):
    client = login(organizer)
    page = _post(client, "give_to_volunteer", [help_request]).content.decode()
    assert outsider_volunteer.user.username not in page
    response = _post(
        client,
        "give_to_volunteer",
        [help_request],
        apply="1",
        volunteer=str(outsider_volunteer.pk),
    )
    assert response.status_code == 200  # asked again: not a choice
    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN


def test_another_groups_requests_are_not_touched(
    login, other_organizer, help_request, other_help_request, walker
):
    client = login(other_organizer)
    other_walker = factories.VolunteerFactory(
        user__username="other-walker", user__group=other_help_request.block.group
    )
    _post(client, "give_to_volunteer", [help_request], apply="1", volunteer=str(other_walker.pk))
    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN


@pytest.mark.parametrize("role", ["operator", "organizer"])
def test_could_not_deliver_needs_a_reason_then_reopens(login, request, held, walker, role):
    staff = request.getfixturevalue(role)
    client = login(staff)
    old_word = held.code_word
    asked = _post(client, "report_undeliverable_for_volunteer", [held], apply="1", reason=" ")
    assert asked.status_code == 200  # no reason: asked again
    held.refresh_from_db()
    assert held.status == Status.CLAIMED

    done = _post(
        client,
        "report_undeliverable_for_volunteer",
        [held],
        apply="1",
        reason="Аптека закрыта",
    )
    assert done.status_code == 302
    held.refresh_from_db()
    assert (held.status, held.volunteer) == (Status.OPEN, None)
    assert held.code_word != old_word  # the old holder cannot pass as the volunteer
    event = RequestEvent.objects.get(help_request=held, action="undeliverable")
    assert (event.actor, event.on_behalf_of) == (staff, walker.user)


def test_could_not_deliver_on_an_open_request_is_reported_not_done(login, organizer, help_request):
    client = login(organizer)
    response = _post(
        client,
        "report_undeliverable_for_volunteer",
        [help_request],
        apply="1",
        reason="—",
    )
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN
    assert not RequestEvent.objects.filter(action="undeliverable").exists()
