"""Emergency lock: one action signs a group out, hides its personal data, pauses matching."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from privacy.lock import group_lock, group_unlock
from privacy.models import ErasureAction, PrivacyEvent
from requests.models import Offer
from requests.offers import offer_make_next
from requests.services import help_request_claim
from tests import factories
from users.models import User

pytestmark = pytest.mark.django_db


def fresh(user):
    """As a request loads it: the fixture's instance caches the group from before the lock."""
    return User.objects.get(pk=user.pk)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def claimed(help_request, volunteer):
    return help_request_claim(help_request=help_request, volunteer=volunteer)


def lock_from_admin(coordinator, group):
    response = signed_in(coordinator).post(
        reverse("admin:neighbors_group_changelist"),
        {"action": "lock", "_selected_action": [group.pk]},
        follow=True,
    )
    assert response.status_code == 200
    group.refresh_from_db()


def test_coordinator_locks_in_one_action_and_every_member_is_signed_out(
    coordinator, group, organizer, operator, volunteer, other_organizer
):
    clients = {user: signed_in(user) for user in (organizer, operator, volunteer.user)}
    outsider = signed_in(other_organizer)
    for user in (organizer, volunteer.user, other_organizer):
        AuthToken.objects.create(user=user)

    lock_from_admin(coordinator, group)

    assert group.locked_at is not None and group.locked_by == coordinator
    member_ids = {str(user.pk) for user in clients}
    remaining = {str(s.get_decoded().get("_auth_user_id")) for s in Session.objects.all()}
    assert not member_ids & remaining
    assert str(other_organizer.pk) in remaining
    assert list(AuthToken.objects.values_list("user", flat=True)) == [other_organizer.pk]
    for client in clients.values():
        assert client.get(reverse("volunteers:task_list")).status_code == 302  # to sign-in
    assert outsider.get(reverse("admin:index")).status_code == 200
    assert PrivacyEvent.objects.filter(action=ErasureAction.GROUP_LOCKED, actor=coordinator)


def test_members_signing_in_again_see_no_personal_data(
    coordinator, group, organizer, operator, volunteer, claimed
):
    group_lock(group=group, actor=coordinator)
    name = claimed.neighbor.name

    page = signed_in(volunteer.user).get(reverse("volunteers:task_detail", args=[claimed.pk]))
    assert name not in page.content.decode()
    api = APIClient()
    api.force_authenticate(fresh(volunteer.user))
    assert api.get(reverse("api:task-detail", args=[claimed.pk])).status_code == 403
    for staff in (organizer, operator):
        api.force_authenticate(fresh(staff))
        assert api.get(reverse("api:request-detail", args=[claimed.pk])).status_code == 404
        admin_page = signed_in(staff).get(
            reverse("admin:neighbors_neighbor_change", args=[claimed.neighbor.pk])
        )
        assert admin_page.status_code in (302, 403)
        assert name not in admin_page.content.decode()
    # The coordinator still sees it.
    admin_page = signed_in(coordinator).get(
        reverse("admin:neighbors_neighbor_change", args=[claimed.neighbor.pk])
    )
    assert name in admin_page.content.decode()


def test_matching_is_paused_while_locked_and_resumes_after(
    coordinator, group, help_request, volunteer
):
    group_lock(group=group, actor=coordinator)
    assert offer_make_next(help_request_id=help_request.pk).status == "locked"
    assert not Offer.objects.exists()

    group_unlock(group=group, actor=coordinator)
    assert offer_make_next(help_request_id=help_request.pk).status == "offered"


def test_unlock_gives_members_their_pages_back(coordinator, group, volunteer, claimed):
    group_lock(group=group, actor=coordinator)
    group_unlock(group=group, actor=coordinator)
    group.refresh_from_db()
    assert group.locked_at is None
    page = signed_in(volunteer.user).get(reverse("volunteers:task_detail", args=[claimed.pk]))
    assert claimed.neighbor.name in page.content.decode()
    assert PrivacyEvent.objects.filter(action=ErasureAction.GROUP_UNLOCKED).count() == 1


def test_other_groups_are_untouched(coordinator, group, other_group, other_organizer, other_block):
    theirs = factories.HelpRequestFactory(neighbor__block=other_block)
    group_lock(group=group, actor=coordinator)
    api = APIClient()
    api.force_authenticate(other_organizer)
    assert api.get(reverse("api:request-detail", args=[theirs.pk])).status_code == 200


def test_organizers_cannot_lock_and_do_not_see_the_action(group, organizer):
    with pytest.raises(PermissionDenied):
        group_lock(group=group, actor=organizer)
    page = signed_in(organizer).get(reverse("admin:neighbors_group_changelist"))
    assert 'value="lock"' not in page.content.decode()


def test_network_coordinator_locks_own_network_groups_only(network_coordinator, group, other_group):
    group_lock(group=group, actor=network_coordinator)
    with pytest.raises(PermissionDenied):
        group_lock(group=other_group, actor=network_coordinator)
    other_group.refresh_from_db()
    assert other_group.locked_at is None
