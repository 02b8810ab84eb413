"""Verification says how the organizer knows the person; pausing and removing say why; every
change is on the volunteer's record, which the group's organizers read."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from requests.exceptions import NotAllowed
from tests import factories
from volunteers.models import VerificationMethod, VolunteerStatus, VolunteerStatusEvent
from volunteers.services import volunteer_set_status

pytestmark = pytest.mark.django_db

LIST = reverse("admin:volunteers_volunteer_changelist")


def test_verifying_needs_a_method(organizer, pending_volunteer):
    with pytest.raises(ValidationError) as error:
        volunteer_set_status(
            volunteer=pending_volunteer, status=VolunteerStatus.VERIFIED, actor=organizer
        )
    assert "method" in error.value.message_dict
    pending_volunteer.refresh_from_db()
    assert pending_volunteer.status == VolunteerStatus.PENDING
    assert not VolunteerStatusEvent.objects.exists()


def test_verifying_records_who_when_and_how(organizer, pending_volunteer):
    volunteer_set_status(
        volunteer=pending_volunteer,
        status=VolunteerStatus.VERIFIED,
        actor=organizer,
        method=VerificationMethod.DOCUMENT,
    )

    pending_volunteer.refresh_from_db()
    assert pending_volunteer.verification_method == VerificationMethod.DOCUMENT
    assert pending_volunteer.verified_by == organizer
    event = VolunteerStatusEvent.objects.get()
    assert (event.actor, event.old_status, event.new_status, event.method) == (
        organizer,
        VolunteerStatus.PENDING,
        VolunteerStatus.VERIFIED,
        VerificationMethod.DOCUMENT,
    )


def test_vouching_names_a_member_of_the_group(organizer, pending_volunteer, volunteer):
    with pytest.raises(ValidationError):
        volunteer_set_status(
            volunteer=pending_volunteer,
            status=VolunteerStatus.VERIFIED,
            actor=organizer,
            method=VerificationMethod.VOUCHED,
        )
    volunteer_set_status(
        volunteer=pending_volunteer,
        status=VolunteerStatus.VERIFIED,
        actor=organizer,
        method=VerificationMethod.VOUCHED,
        vouched_by=volunteer.user,
    )
    pending_volunteer.refresh_from_db()
    assert pending_volunteer.vouched_by == volunteer.user


def test_vouching_by_an_outsider_or_oneself_is_refused(
    organizer, pending_volunteer, outsider_volunteer
):
    for voucher in (outsider_volunteer.user, pending_volunteer.user):
        with pytest.raises(ValidationError) as error:
            volunteer_set_status(
                volunteer=pending_volunteer,
                status=VolunteerStatus.VERIFIED,
                actor=organizer,
                method=VerificationMethod.VOUCHED,
                vouched_by=voucher,
            )
        assert "vouched_by" in error.value.message_dict


@pytest.mark.parametrize("status", [VolunteerStatus.PAUSED, VolunteerStatus.REMOVED])
def test_pausing_and_removing_need_a_reason(organizer, volunteer, status):
    with pytest.raises(ValidationError) as error:
        volunteer_set_status(volunteer=volunteer, status=status, actor=organizer, reason="  ")
    assert "reason" in error.value.message_dict

    volunteer_set_status(volunteer=volunteer, status=status, actor=organizer, reason="Уехал")
    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.status_reason) == (status, "Уехал")
    event = VolunteerStatusEvent.objects.get()
    assert (event.old_status, event.new_status, event.reason) == (
        VolunteerStatus.VERIFIED,
        status,
        "Уехал",
    )


def test_turning_an_application_down_is_removal_with_a_reason(organizer, pending_volunteer):
    volunteer_set_status(
        volunteer=pending_volunteer,
        status=VolunteerStatus.REMOVED,
        actor=organizer,
        reason="Никто из группы не знает этого человека",
    )
    pending_volunteer.refresh_from_db()
    assert pending_volunteer.status == VolunteerStatus.REMOVED


def test_resuming_a_paused_volunteer_keeps_the_method(organizer, volunteer):
    volunteer_set_status(volunteer=volunteer, status="paused", actor=organizer, reason="Отпуск")
    volunteer_set_status(volunteer=volunteer, status="verified", actor=organizer)
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.VERIFIED
    assert volunteer.status_reason == ""
    assert volunteer.verification_method == VerificationMethod.IN_PERSON
    assert VolunteerStatusEvent.objects.count() == 2


def test_other_groups_organizer_cannot(other_organizer, pending_volunteer):
    with pytest.raises(NotAllowed):
        volunteer_set_status(
            volunteer=pending_volunteer,
            status=VolunteerStatus.VERIFIED,
            actor=other_organizer,
            method=VerificationMethod.IN_PERSON,
        )


# --- The admin's actions ------------------------------------------------------------------


def test_verify_action_asks_how_first(client, organizer, pending_volunteer, volunteer):
    client.force_login(organizer)
    asked = client.post(LIST, {"action": "verify", "_selected_action": [pending_volunteer.pk]})
    assert asked.status_code == 200
    assert "vouched_by" in asked.context["form"].fields
    page = asked.content.decode()
    # The page lists the selected volunteers with their state and sends them on.
    user = pending_volunteer.user
    assert f"<li>{user.get_full_name() or user.username} (" in page
    assert f'name="_selected_action" value="{pending_volunteer.pk}"' in page
    pending_volunteer.refresh_from_db()
    assert pending_volunteer.status == VolunteerStatus.PENDING

    client.post(
        LIST,
        {
            "action": "verify",
            "_selected_action": [pending_volunteer.pk],
            "apply": "1",
            "method": "vouched",
            "vouched_by": volunteer.user.pk,
        },
    )
    pending_volunteer.refresh_from_db()
    assert pending_volunteer.status == VolunteerStatus.VERIFIED
    assert pending_volunteer.vouched_by == volunteer.user


def test_voucher_choices_are_the_groups_members(
    client, organizer, pending_volunteer, other_organizer
):
    client.force_login(organizer)
    form = client.post(
        LIST, {"action": "verify", "_selected_action": [pending_volunteer.pk]}
    ).context["form"]
    choices = set(form.fields["vouched_by"].queryset)
    assert organizer in choices
    assert other_organizer not in choices


def test_pause_action_without_a_reason_changes_nothing(client, organizer, volunteer):
    client.force_login(organizer)
    response = client.post(
        LIST, {"action": "pause", "_selected_action": [volunteer.pk], "apply": "1", "reason": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.VERIFIED


def test_history_is_on_the_volunteers_page(client, organizer, volunteer):
    volunteer_set_status(volunteer=volunteer, status="paused", actor=organizer, reason="Отпуск")
    client.force_login(organizer)
    page = client.get(reverse("admin:volunteers_volunteer_change", args=[volunteer.pk]))
    text = page.content.decode()
    assert "Отпуск" in text
    assert "status_events" in text or "verification" in text.lower()


def test_coordinator_verifies_in_their_network(client, network_coordinator, group):
    waiting = factories.VolunteerFactory(
        user__group=group, status=VolunteerStatus.PENDING, verified_at=None, verification_method=""
    )
    client.force_login(network_coordinator)
    client.post(
        LIST,
        {"action": "verify", "_selected_action": [waiting.pk], "apply": "1", "method": "in_person"},
    )
    waiting.refresh_from_db()
    assert waiting.status == VolunteerStatus.VERIFIED


def test_operators_and_volunteers_have_no_volunteer_actions(client, operator, volunteer):
    for user in (operator, volunteer.user):
        client.force_login(user)
        response = client.post(
            LIST,
            {"action": "pause", "_selected_action": [volunteer.pk], "apply": "1", "reason": "x"},
        )
        assert response.status_code in (302, 403)
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.VERIFIED
