"""The safety rules read out by phone to a volunteer without a smartphone: recorded with who
read them, through volunteers.services, from the intake desk's give form and the admin."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError

from requests.exceptions import NotAllowed
from requests.models import RequestEvent, Status
from tests import factories
from volunteers.models import Volunteer
from volunteers.services import volunteer_accept_safety_protocol_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(group, block):
    """Verified, no smartphone, has not heard the safety rules yet."""
    profile = factories.VolunteerFactory(
        user__username="newcomer",
        user__first_name="Нина",
        user__last_name="Соколова",
        user__group=group,
        user__phone="+79215550404",
        no_smartphone=True,
        safety_protocol_accepted_at=None,
    )
    profile.blocks.add(block)
    return profile


@pytest.mark.parametrize("role", ["operator", "organizer"])
def test_staff_record_the_rules_read_out(request, newcomer, role):
    staff = request.getfixturevalue(role)
    volunteer_accept_safety_protocol_for(volunteer=newcomer, actor=staff)
    newcomer.refresh_from_db()
    assert newcomer.safety_protocol_accepted_at is not None
    assert newcomer.safety_protocol_read_out_by == staff


def test_a_repeat_keeps_the_first_record(operator, organizer, newcomer):
    volunteer_accept_safety_protocol_for(volunteer=newcomer, actor=operator)
    first = Volunteer.objects.get(pk=newcomer.pk).safety_protocol_accepted_at
    volunteer_accept_safety_protocol_for(volunteer=newcomer, actor=organizer)
    newcomer.refresh_from_db()
    assert (newcomer.safety_protocol_accepted_at, newcomer.safety_protocol_read_out_by) == (
        first,
        operator,
    )


@pytest.mark.parametrize("role", ["volunteer", "other_organizer", "network_coordinator"])
def test_others_cannot_record_it(request, newcomer, role):
    actor = request.getfixturevalue(role)
    with pytest.raises(NotAllowed):
        volunteer_accept_safety_protocol_for(
            volunteer=newcomer, actor=getattr(actor, "user", actor)
        )
    newcomer.refresh_from_db()
    assert newcomer.safety_protocol_accepted_at is None


def test_only_for_a_volunteer_without_a_smartphone(operator, newcomer):
    Volunteer.objects.filter(pk=newcomer.pk).update(no_smartphone=False)
    newcomer.refresh_from_db()
    with pytest.raises(ValidationError):
        volunteer_accept_safety_protocol_for(volunteer=newcomer, actor=operator)
    newcomer.refresh_from_db()
    assert newcomer.safety_protocol_accepted_at is None


# --- The intake desk: give, with the rules read out ---------------------------------------------


def _give(client, help_request, volunteer, **extra):
    data = {"volunteer": str(volunteer.pk), **extra}
    return client.post(f"/intake/requests/{help_request.pk}/give/", data)


def test_give_refused_until_the_rules_are_read_out(client, operator, help_request, newcomer):
    client.force_login(operator)
    response = _give(client, help_request, newcomer)
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN  # refused: the rules are not accepted

    response = _give(client, help_request, newcomer, safety_read_out="on")
    assert response.status_code == 302
    help_request.refresh_from_db()
    newcomer.refresh_from_db()
    assert (help_request.status, help_request.volunteer) == (Status.CLAIMED, newcomer)
    assert newcomer.safety_protocol_read_out_by == operator
    event = RequestEvent.objects.get(help_request=help_request, action="claim")
    assert (event.actor, event.on_behalf_of) == (operator, newcomer.user)


def test_the_tick_for_a_smartphone_volunteer_is_refused_next_to_it(
    client, operator, help_request, group, block
):
    online = factories.VolunteerFactory(
        user__username="online", user__group=group, safety_protocol_accepted_at=None
    )
    online.blocks.add(block)
    client.force_login(operator)
    response = _give(client, help_request, online, safety_read_out="on")
    assert response.status_code == 400
    assert response.context["give_form"].errors["safety_read_out"]
    online.refresh_from_db()
    assert online.safety_protocol_accepted_at is None


# --- The admin action (organizers) -------------------------------------------------------------


def test_organizer_records_it_from_the_admin(client, organizer, newcomer):
    client.force_login(organizer)
    response = client.post(
        "/admin/volunteers/volunteer/",
        {"action": "accept_safety_rules_read_out", ACTION_CHECKBOX_NAME: [str(newcomer.pk)]},
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.safety_protocol_read_out_by == organizer


def test_another_groups_organizer_cannot_from_the_admin(client, other_organizer, newcomer):
    client.force_login(other_organizer)
    client.post(
        "/admin/volunteers/volunteer/",
        {"action": "accept_safety_rules_read_out", ACTION_CHECKBOX_NAME: [str(newcomer.pk)]},
    )
    newcomer.refresh_from_db()
    assert newcomer.safety_protocol_accepted_at is None
