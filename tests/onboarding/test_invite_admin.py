"""Organizers create, copy and revoke invite links in the admin; per role."""

import pytest
from django.urls import reverse

from onboarding.models import Invite
from onboarding.services import invite_create

pytestmark = pytest.mark.django_db

LIST = reverse("admin:onboarding_invite_changelist")
ADD = reverse("admin:onboarding_invite_add")


def test_organizer_adds_an_invite_for_their_group_and_sees_the_link(login, organizer, group):
    client = login(organizer)
    response = client.post(ADD, {"for_name": "Анна", "for_phone": "", "days_valid": 3}, follow=True)

    invite = Invite.objects.get()
    assert invite.group == group
    assert invite.created_by == organizer
    assert invite.for_name == "Анна"
    assert invite.url in response.content.decode()


def test_organizer_cannot_add_an_invite_for_another_group(login, organizer, group, other_group):
    login(organizer).post(ADD, {"group": other_group.pk, "days_valid": 3})

    # The group field is fixed to their own: the other group's id is ignored.
    assert list(Invite.objects.values_list("group", flat=True)) == [group.pk]


def test_coordinator_adds_for_a_group_of_their_network(login, network_coordinator, group):
    login(network_coordinator).post(ADD, {"group": group.pk, "days_valid": 7})
    assert Invite.objects.get().group == group


def test_coordinator_cannot_pick_a_group_outside_the_network(
    login, network_coordinator, other_group
):
    response = login(network_coordinator).post(ADD, {"group": other_group.pk, "days_valid": 7})
    assert response.status_code == 200  # the form again, with an error
    assert not Invite.objects.exists()


def test_list_shows_the_groups_invites_only(login, organizer, invite, other_organizer, other_group):
    theirs = invite_create(group=other_group, actor=other_organizer)

    page = login(organizer).get(LIST).content.decode()

    assert invite.token in page
    assert theirs.token not in page


def test_list_query_count(login, organizer, invite, group, django_assert_max_num_queries):
    for _ in range(5):
        invite_create(group=group, actor=organizer)
    client = login(organizer)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


def test_other_groups_organizer_does_not_see_the_invite(login, other_organizer, invite):
    response = login(other_organizer).get(
        reverse("admin:onboarding_invite_change", args=[invite.pk])
    )
    assert response.status_code == 302  # the admin's "no such object"


def test_revoke_action(login, organizer, invite):
    login(organizer).post(LIST, {"action": "revoke", "_selected_action": [invite.pk]})
    invite.refresh_from_db()
    assert invite.revoked_by == organizer


def test_revoke_skips_another_groups_invites(login, other_organizer, invite):
    login(other_organizer).post(LIST, {"action": "revoke", "_selected_action": [invite.pk]})
    invite.refresh_from_db()
    assert invite.revoked_at is None


@pytest.mark.parametrize(("who", "status"), [("operator", 403), ("volunteer", 302)])
def test_operators_and_volunteers_have_no_invites(login, request, who, status):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    assert login(user).get(LIST).status_code == status
    assert login(user).get(ADD).status_code == status


def test_invites_are_not_edited(login, organizer, invite):
    response = login(organizer).post(
        reverse("admin:onboarding_invite_change", args=[invite.pk]), {"for_name": "Другой"}
    )
    invite.refresh_from_db()
    assert response.status_code == 403
    assert invite.for_name == ""


def test_coordinator_lists_their_networks_invites_only(
    login, network_coordinator, invite, other_group, other_organizer
):
    theirs = invite_create(group=other_group, actor=other_organizer)
    page = login(network_coordinator).get(LIST).content.decode()
    assert invite.token in page
    assert theirs.token not in page
