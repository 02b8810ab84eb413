"""Removing a volunteer returns the tasks they hold to the open list, with events."""

from decimal import Decimal

import pytest
from django.urls import reverse

from requests.exceptions import NotAllowed
from requests.models import RequestEvent, Status
from requests.services import help_request_claim, help_request_deliver, help_request_take_back
from tests import factories
from volunteers.models import VolunteerStatus
from volunteers.services import volunteer_set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(neighbor, volunteer):
    claimed = factories.HelpRequestFactory(neighbor=neighbor)
    help_request_claim(help_request=claimed, volunteer=volunteer)
    delivered = factories.HelpRequestFactory(neighbor=neighbor)
    help_request_claim(help_request=delivered, volunteer=volunteer)
    help_request_deliver(help_request=delivered, volunteer=volunteer, spent=Decimal("10"))
    return claimed, delivered


def test_removing_returns_held_tasks_to_open_with_an_event_by_the_organizer(
    organizer, volunteer, held
):
    claimed, delivered = held
    old_word = claimed.code_word

    volunteer_set_status(
        volunteer=volunteer, status=VolunteerStatus.REMOVED, actor=organizer, reason="Переехал"
    )

    claimed.refresh_from_db()
    delivered.refresh_from_db()
    assert (claimed.status, claimed.volunteer) == (Status.OPEN, None)
    assert claimed.code_word != old_word
    assert delivered.status == Status.DELIVERED and delivered.volunteer == volunteer
    release = RequestEvent.objects.get(help_request=claimed, action="release")
    assert release.actor == organizer
    assert release.note


def test_pausing_keeps_the_tasks(organizer, volunteer, held):
    claimed, _ = held
    volunteer_set_status(
        volunteer=volunteer, status=VolunteerStatus.PAUSED, actor=organizer, reason="Болеет"
    )
    claimed.refresh_from_db()
    assert claimed.status == Status.CLAIMED


def test_admin_remove_action_returns_the_tasks(client, organizer, volunteer, held):
    claimed, _ = held
    client.force_login(organizer)
    response = client.post(
        reverse("admin:volunteers_volunteer_changelist"),
        {"action": "remove", "_selected_action": [volunteer.pk], "apply": "1", "reason": "x"},
    )
    assert response.status_code == 302
    claimed.refresh_from_db()
    assert claimed.status == Status.OPEN


def test_another_groups_organizer_cannot_take_a_task_back(other_organizer, held):
    claimed, _ = held
    with pytest.raises(NotAllowed):
        help_request_take_back(help_request=claimed, actor=other_organizer, reason="x")
    claimed.refresh_from_db()
    assert claimed.status == Status.CLAIMED


# A network coordinator looks after the groups of their network and may remove a volunteer of
# one of them: deliberately allowed (permissions.can_manage_group), with the same effect as an
# organizer's removal; a coordinator of another network may not.


def test_network_coordinator_removing_returns_the_tasks_with_their_event(
    network_coordinator, volunteer, held
):
    claimed, _ = held

    volunteer_set_status(
        volunteer=volunteer,
        status=VolunteerStatus.REMOVED,
        actor=network_coordinator,
        reason="Reported to the network",
    )

    claimed.refresh_from_db()
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.REMOVED
    assert (claimed.status, claimed.volunteer) == (Status.OPEN, None)
    release = RequestEvent.objects.get(help_request=claimed, action="release")
    assert release.actor == network_coordinator


def test_network_coordinator_removes_through_the_admin_action(
    client, network_coordinator, volunteer, held
):
    claimed, _ = held
    client.force_login(network_coordinator)
    client.post(
        reverse("admin:volunteers_volunteer_changelist"),
        {"action": "remove", "_selected_action": [volunteer.pk], "apply": "1", "reason": "x"},
    )
    claimed.refresh_from_db()
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.REMOVED
    assert claimed.status == Status.OPEN


def test_coordinator_of_another_network_cannot_remove(volunteer, held):
    stranger = factories.CoordinatorFactory(
        username="elsewhere", network=factories.NetworkFactory(name="Другая сеть")
    )
    claimed, _ = held
    with pytest.raises(NotAllowed):
        volunteer_set_status(
            volunteer=volunteer, status=VolunteerStatus.REMOVED, actor=stranger, reason="x"
        )
    claimed.refresh_from_db()
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.VERIFIED
    assert claimed.status == Status.CLAIMED


def test_operator_cannot_remove(operator, volunteer, held):
    with pytest.raises(NotAllowed):
        volunteer_set_status(
            volunteer=volunteer, status=VolunteerStatus.REMOVED, actor=operator, reason="x"
        )
    assert held[0].status == Status.CLAIMED
