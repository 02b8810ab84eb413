"""The permission module: group boundaries and who sees residents' personal data."""

from datetime import timedelta

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from covidarnost import permissions
from neighbors.models import Block, Neighbor
from requests.models import HelpRequest
from requests.services import help_request_claim, help_request_deliver
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Block, Neighbor, HelpRequest, Volunteer])
def test_scope_keeps_each_role_inside_its_group(
    model, help_request, other_block, organizer, other_organizer, volunteer, coordinator
):
    from tests.factories import HelpRequestFactory, NeighborFactory, VolunteerFactory

    HelpRequestFactory(neighbor=NeighborFactory(block=other_block))
    VolunteerFactory(user__group=other_block.group)
    everything = model.objects.all()
    own = {o.pk for o in permissions.scope(everything, organizer)}
    theirs = {o.pk for o in permissions.scope(everything, other_organizer)}
    assert own and theirs and not own & theirs
    assert {o.pk for o in permissions.scope(everything, volunteer.user)} == own
    assert set(permissions.scope(everything, coordinator)) == set(everything)


def test_anonymous_and_groupless_users_see_nothing(help_request):
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import UserFactory

    groupless = UserFactory(group=None, role="")
    for user in (AnonymousUser(), groupless):
        assert not permissions.scope(HelpRequest.objects.all(), user).exists()


def test_staff_get_requests_of_their_group_only(help_request, operator, other_organizer, volunteer):
    assert permissions.get_request_for_staff(operator, help_request.pk) == help_request
    for user in (other_organizer, volunteer.user):
        with pytest.raises(Http404):
            permissions.get_request_for_staff(user, help_request.pk)


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "123", ""])
def test_malformed_ids_are_not_found(operator, bad_id):
    with pytest.raises(Http404):
        permissions.get_request_for_staff(operator, bad_id)


def test_task_held_by_another_volunteer_is_not_found(help_request, volunteer, second_volunteer):
    help_request_claim(help_request=help_request, volunteer=volunteer)
    assert permissions.get_task_for_volunteer(volunteer.user, help_request.pk) == help_request
    with pytest.raises(Http404):
        permissions.get_task_for_volunteer(second_volunteer.user, help_request.pk)


def test_other_group_and_pending_volunteers_get_404(
    help_request, outsider_volunteer, pending_volunteer
):
    for user in (outsider_volunteer.user, pending_volunteer.user):
        with pytest.raises(Http404):
            permissions.get_task_for_volunteer(user, help_request.pk)


def test_personal_details_only_for_holder_and_staff(
    help_request, volunteer, second_volunteer, operator, other_organizer
):
    assert not permissions.can_see_personal_details(volunteer.user, help_request)
    help_request_claim(help_request=help_request, volunteer=volunteer)
    assert permissions.can_see_personal_details(volunteer.user, help_request)
    assert not permissions.can_see_personal_details(second_volunteer.user, help_request)
    assert permissions.can_see_personal_details(operator, help_request)
    assert not permissions.can_see_personal_details(other_organizer, help_request)


def test_personal_details_disappear_a_day_after_delivery(help_request, volunteer):
    help_request_claim(help_request=help_request, volunteer=volunteer)
    help_request_deliver(help_request=help_request, volunteer=volunteer)
    assert permissions.can_see_personal_details(volunteer.user, help_request)
    with time_machine.travel(timezone.now() + timedelta(hours=23, minutes=59)):
        assert permissions.can_see_personal_details(volunteer.user, help_request)
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        assert not permissions.can_see_personal_details(volunteer.user, help_request)


def test_paused_volunteer_loses_access(help_request, volunteer):
    help_request_claim(help_request=help_request, volunteer=volunteer)
    volunteer.status = "paused"
    volunteer.save()
    assert not permissions.can_see_personal_details(volunteer.user, help_request)
    with pytest.raises(Http404):
        permissions.get_task_for_volunteer(volunteer.user, help_request.pk)
