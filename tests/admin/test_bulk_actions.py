"""Bulk actions on blocks and volunteers call the volunteer services and report failures."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests import factories
from volunteers.models import VolunteerStatus

pytestmark = pytest.mark.django_db

BLOCKS = "admin:neighbors_block_changelist"
VOLUNTEERS = "admin:volunteers_volunteer_changelist"


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def free_volunteer(group):
    return factories.VolunteerFactory(
        user__username="free", user__group=group, base_latitude=None, base_longitude=None
    )


def test_assign_blocks_shows_a_page_choosing_own_groups_volunteers(
    login, organizer, block, free_volunteer, outsider_volunteer
):
    response = login(organizer).post(
        reverse(BLOCKS), {"action": "assign_to_volunteer", "_selected_action": [block.pk]}
    )

    assert response.status_code == 200
    choices = set(response.context["form"].fields["volunteer"].queryset)
    assert free_volunteer in choices
    assert outsider_volunteer not in choices
    assert str(outsider_volunteer.pk) not in response.content.decode()


def test_assign_blocks_adds_them_to_the_volunteer(login, organizer, group, block, free_volunteer):
    second = factories.BlockFactory(group=group, code="T2")

    response = login(organizer).post(
        reverse(BLOCKS),
        {
            "action": "assign_to_volunteer",
            "_selected_action": [block.pk, second.pk],
            "volunteer": free_volunteer.pk,
            "apply": "1",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert set(free_volunteer.blocks.all()) == {block, second}
    free_volunteer.refresh_from_db()
    assert free_volunteer.base_latitude is not None


def test_assign_blocks_refuses_another_groups_volunteer(
    login, organizer, block, outsider_volunteer
):
    response = login(organizer).post(
        reverse(BLOCKS),
        {
            "action": "assign_to_volunteer",
            "_selected_action": [block.pk],
            "volunteer": outsider_volunteer.pk,
            "apply": "1",
        },
    )

    assert response.status_code == 200
    assert "volunteer" in response.context["form"].errors
    assert not outsider_volunteer.blocks.exists()


def test_coordinator_mixing_groups_gets_a_message_not_an_error(
    login, coordinator, block, outsider_volunteer
):
    response = login(coordinator).post(
        reverse(BLOCKS),
        {
            "action": "assign_to_volunteer",
            "_selected_action": [block.pk],
            "volunteer": outsider_volunteer.pk,
            "apply": "1",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert not outsider_volunteer.blocks.exists()
    assert any(str(outsider_volunteer) in m for m in _messages(response))


def test_operators_only_block_action_is_printing(login, operator, block):
    response = login(operator).get(reverse(BLOCKS))

    actions = [
        name for name, _label in response.context["action_form"].fields["action"].choices if name
    ]
    assert actions == ["print_flyers_and_forms"]


def test_verify_sets_verified_at_and_by(login, organizer, pending_volunteer):
    login(organizer).post(
        reverse(VOLUNTEERS),
        {
            "action": "verify",
            "_selected_action": [pending_volunteer.pk],
            "apply": "1",
            "method": "document",
        },
    )

    pending_volunteer.refresh_from_db()
    assert pending_volunteer.status == VolunteerStatus.VERIFIED
    assert pending_volunteer.verified_at is not None
    assert pending_volunteer.verified_by == organizer


@pytest.mark.parametrize(
    ("action", "status"), [("pause", VolunteerStatus.PAUSED), ("remove", VolunteerStatus.REMOVED)]
)
def test_pause_and_remove(login, organizer, volunteer, action, status):
    login(organizer).post(
        reverse(VOLUNTEERS),
        {"action": action, "_selected_action": [volunteer.pk], "apply": "1", "reason": "x"},
    )

    volunteer.refresh_from_db()
    assert volunteer.status == status


def test_status_actions_skip_other_groups_volunteers(login, organizer, outsider_volunteer):
    login(organizer).post(
        reverse(VOLUNTEERS),
        {
            "action": "remove",
            "_selected_action": [outsider_volunteer.pk],
            "apply": "1",
            "reason": "x",
        },
    )

    outsider_volunteer.refresh_from_db()
    assert outsider_volunteer.status == VolunteerStatus.VERIFIED


def test_volunteer_form_cannot_change_status(login, organizer, pending_volunteer):
    form = (
        login(organizer)
        .get(reverse("admin:volunteers_volunteer_change", args=[pending_volunteer.pk]))
        .context["adminform"]
        .form
    )

    assert "status" not in form.fields
    assert "verified_by" not in form.fields
