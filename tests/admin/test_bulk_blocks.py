"""Blocks given and taken away in bulk, from the block list and from the volunteer list, always
through volunteers.services (group rule, base location), limited to the organizer's group."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from requests.exceptions import NotAllowed
from tests import factories
from volunteers.models import VolunteerStatus
from volunteers.services import volunteer_assign_blocks, volunteer_unassign_blocks

pytestmark = pytest.mark.django_db

BLOCKS = "admin:neighbors_block_changelist"
VOLUNTEERS = "admin:volunteers_volunteer_changelist"


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def second_block(group):
    return factories.BlockFactory(group=group, code="T2", latitude=59.99, longitude=30.31)


@pytest.fixture
def third_block(group):
    return factories.BlockFactory(group=group, code="T3", latitude=59.98, longitude=30.32)


@pytest.fixture
def holder(group, block, second_block):
    """A volunteer with two blocks, starting from the first (as volunteer_assign_blocks sets)."""
    profile = factories.VolunteerFactory(
        user__username="holder",
        user__group=group,
        base_latitude=block.latitude,
        base_longitude=block.longitude,
    )
    profile.blocks.add(block, second_block)
    return profile


# --- The services ---------------------------------------------------------------------------


def test_unassign_moves_a_base_taken_from_a_block_to_the_first_block_left(
    organizer, holder, block, second_block
):
    volunteer_unassign_blocks(volunteer=holder, blocks=[block], actor=organizer)

    holder.refresh_from_db()
    assert list(holder.blocks.all()) == [second_block]
    assert (holder.base_latitude, holder.base_longitude) == (
        second_block.latitude,
        second_block.longitude,
    )


def test_unassign_keeps_a_base_set_by_hand(organizer, holder, block):
    holder.base_latitude, holder.base_longitude = 59.5, 30.5
    holder.save()
    volunteer_unassign_blocks(volunteer=holder, blocks=[block], actor=organizer)
    holder.refresh_from_db()
    assert (holder.base_latitude, holder.base_longitude) == (59.5, 30.5)


def test_unassign_of_the_last_block_clears_the_base_and_a_new_block_sets_it(
    organizer, holder, block, second_block, third_block
):
    volunteer_assign_blocks(
        volunteer=holder, blocks=[third_block], actor=organizer, only_these=True
    )
    holder.refresh_from_db()
    assert list(holder.blocks.all()) == [third_block]
    assert (holder.base_latitude, holder.base_longitude) == (
        third_block.latitude,
        third_block.longitude,
    )


def test_services_refuse_another_groups_blocks_and_organizers(
    organizer, other_organizer, holder, block, other_block
):
    with pytest.raises(ValidationError):
        volunteer_unassign_blocks(volunteer=holder, blocks=[other_block], actor=organizer)
    with pytest.raises(NotAllowed):
        volunteer_unassign_blocks(volunteer=holder, blocks=[block], actor=other_organizer)
    assert holder.blocks.count() == 2


# --- From the block list --------------------------------------------------------------------


def test_block_list_offers_only_volunteers_holding_a_selected_block(
    login, organizer, holder, block, volunteer, outsider_volunteer, third_block
):
    free = factories.VolunteerFactory(user__username="free", user__group=organizer.group)
    response = login(organizer).post(
        reverse(BLOCKS), {"action": "unassign_from_volunteer", "_selected_action": [block.pk]}
    )

    assert response.status_code == 200
    assert set(response.context["form"].fields["volunteer"].queryset) == {holder, volunteer}
    assert free not in response.context["form"].fields["volunteer"].queryset
    assert str(outsider_volunteer.pk) not in response.content.decode()
    assert 'value="unassign_from_volunteer"' in response.content.decode()


def test_block_list_takes_selected_blocks_away(
    login, organizer, holder, block, second_block, third_block
):
    holder.blocks.add(third_block)
    response = login(organizer).post(
        reverse(BLOCKS),
        {
            "action": "unassign_from_volunteer",
            "_selected_action": [block.pk, second_block.pk],
            "volunteer": holder.pk,
            "apply": "1",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert list(holder.blocks.all()) == [third_block]
    assert any(str(holder) in m and "2" in m for m in _messages(response))


def test_block_list_can_clear_a_removed_volunteers_blocks(login, organizer, holder, block):
    holder.status = VolunteerStatus.REMOVED
    holder.save()
    login(organizer).post(
        reverse(BLOCKS),
        {
            "action": "unassign_from_volunteer",
            "_selected_action": [block.pk],
            "volunteer": holder.pk,
            "apply": "1",
        },
    )
    assert block not in holder.blocks.all()


def test_another_groups_block_cannot_be_taken_away_through_the_list(
    login, organizer, other_block, outsider_volunteer
):
    outsider_volunteer.blocks.add(other_block)
    login(organizer).post(
        reverse(BLOCKS),
        {
            "action": "unassign_from_volunteer",
            "_selected_action": [other_block.pk],
            "volunteer": outsider_volunteer.pk,
            "apply": "1",
        },
    )
    assert other_block in outsider_volunteer.blocks.all()


# --- From the volunteer list ----------------------------------------------------------------


def test_volunteer_list_offers_only_own_groups_blocks(login, organizer, holder, block, other_block):
    response = login(organizer).post(
        reverse(VOLUNTEERS), {"action": "add_blocks", "_selected_action": [holder.pk]}
    )

    assert response.status_code == 200
    assert set(response.context["form"].fields["blocks"].queryset) == {
        block,
        *holder.blocks.all(),
    }
    assert other_block.address not in response.content.decode()


def test_volunteer_list_gives_blocks_to_several_volunteers(
    login, organizer, holder, volunteer, third_block
):
    free = factories.VolunteerFactory(
        user__group=organizer.group, base_latitude=None, base_longitude=None
    )
    login(organizer).post(
        reverse(VOLUNTEERS),
        {
            "action": "add_blocks",
            "_selected_action": [holder.pk, volunteer.pk, free.pk],
            "blocks": [third_block.pk],
            "apply": "1",
        },
    )

    for profile in (holder, volunteer, free):
        assert third_block in profile.blocks.all()
    free.refresh_from_db()
    assert free.base_latitude == third_block.latitude
    assert free.base_longitude == third_block.longitude


def test_volunteer_list_takes_blocks_away(login, organizer, holder, volunteer, block):
    login(organizer).post(
        reverse(VOLUNTEERS),
        {
            "action": "remove_blocks",
            "_selected_action": [holder.pk, volunteer.pk],
            "blocks": [block.pk],
            "apply": "1",
        },
    )

    assert block not in holder.blocks.all()
    assert block not in volunteer.blocks.all()


def test_volunteer_list_refuses_another_groups_block(login, organizer, holder, other_block):
    response = login(organizer).post(
        reverse(VOLUNTEERS),
        {
            "action": "add_blocks",
            "_selected_action": [holder.pk],
            "blocks": [other_block.pk],
            "apply": "1",
        },
    )

    assert response.status_code == 200
    assert "blocks" in response.context["form"].errors
    assert other_block not in holder.blocks.all()


def test_volunteer_list_skips_another_groups_volunteer(login, organizer, outsider_volunteer, block):
    login(organizer).post(
        reverse(VOLUNTEERS),
        {
            "action": "add_blocks",
            "_selected_action": [outsider_volunteer.pk],
            "blocks": [block.pk],
            "apply": "1",
        },
    )
    assert not outsider_volunteer.blocks.exists()


def test_coordinator_mixing_groups_gets_a_message_per_volunteer(
    login, coordinator, holder, outsider_volunteer, other_block
):
    response = login(coordinator).post(
        reverse(VOLUNTEERS),
        {
            "action": "add_blocks",
            "_selected_action": [holder.pk, outsider_volunteer.pk],
            "blocks": [other_block.pk],
            "apply": "1",
        },
        follow=True,
    )

    assert other_block in outsider_volunteer.blocks.all()
    assert other_block not in holder.blocks.all()
    assert any(str(holder) in m for m in _messages(response))


@pytest.mark.parametrize("action", ["add_blocks", "remove_blocks"])
def test_operators_cannot_change_blocks(login, operator, holder, block, action):
    response = login(operator).get(reverse(VOLUNTEERS))
    if response.status_code == 200:
        choices = response.context["action_form"].fields["action"].choices
        assert action not in [name for name, _label in choices]
    login(operator).post(
        reverse(VOLUNTEERS),
        {"action": action, "_selected_action": [holder.pk], "blocks": [block.pk], "apply": "1"},
    )
    assert holder.blocks.count() == 2
