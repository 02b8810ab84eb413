"""A paused or removed volunteer's blocks are coverage gaps on the desk, the moment the
organizer changes the status (volunteers.services), until someone active covers them."""

import pytest

from tests import factories
from volunteers.models import VerificationMethod, VolunteerStatus
from volunteers.services import volunteer_assign_blocks, volunteer_set_status

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


def _gaps(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return {block.code for block in response.context["coverage"].uncovered_blocks}, response


@pytest.mark.parametrize("status", [VolunteerStatus.PAUSED, VolunteerStatus.REMOVED])
def test_pausing_or_removing_the_only_volunteer_opens_a_gap(
    client, organizer, block, volunteer, status
):
    client.force_login(organizer)
    assert block.code not in _gaps(client)[0]

    volunteer_set_status(volunteer=volunteer, status=status, actor=organizer, reason="test")

    gaps, response = _gaps(client)
    assert block.code in gaps
    assert block.code in response.content.decode()


def test_the_gap_closes_when_verified_again_or_another_volunteer_takes_the_block(
    client, organizer, group, block, volunteer
):
    client.force_login(organizer)
    volunteer_set_status(
        volunteer=volunteer, status=VolunteerStatus.PAUSED, actor=organizer, reason="away"
    )
    volunteer_set_status(
        volunteer=volunteer,
        status=VolunteerStatus.VERIFIED,
        actor=organizer,
        method=VerificationMethod.IN_PERSON,
    )
    assert block.code not in _gaps(client)[0]

    volunteer_set_status(
        volunteer=volunteer, status=VolunteerStatus.REMOVED, actor=organizer, reason="left"
    )
    other = factories.VolunteerFactory(user__group=group)
    volunteer_assign_blocks(volunteer=other, blocks=[block], actor=organizer)
    assert block.code not in _gaps(client)[0]


def test_a_block_with_one_paused_and_one_active_volunteer_is_covered(
    client, organizer, block, volunteer, second_volunteer
):
    volunteer_set_status(
        volunteer=volunteer, status=VolunteerStatus.PAUSED, actor=organizer, reason="away"
    )
    client.force_login(organizer)
    assert block.code not in _gaps(client)[0]


def test_a_deactivated_account_leaves_a_gap_too(client, organizer, block, volunteer):
    volunteer.user.is_active = False
    volunteer.user.save()
    client.force_login(organizer)
    assert block.code in _gaps(client)[0]
