"""invite_create and invite_revoke: who may, what an invite allows, when it stops working."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from onboarding.models import INVITE_DAYS_MAX, InviteState
from onboarding.services import invite_create, invite_revoke
from requests.exceptions import NotAllowed
from tests import factories

pytestmark = pytest.mark.django_db


def _account(person):
    return getattr(person, "user", person)


def test_organizer_creates_an_invite_for_their_group(group, organizer):
    invite = invite_create(group=group, actor=organizer)

    assert invite.group == group
    assert invite.created_by == organizer
    assert invite.state() == InviteState.LIVE
    assert len(invite.token) >= 40
    assert timedelta(days=6, hours=23) < invite.expires_at - timezone.now() <= timedelta(days=7)
    assert invite.url.endswith(f"/join/{invite.token}/")


def test_tokens_differ(group, organizer):
    tokens = {invite_create(group=group, actor=organizer).token for _ in range(5)}
    assert len(tokens) == 5


def test_network_coordinator_invites_to_their_networks_groups(group, network_coordinator):
    assert invite_create(group=group, actor=network_coordinator).group == group


def test_network_coordinator_cannot_invite_outside_the_network(other_group, network_coordinator):
    with pytest.raises(NotAllowed):
        invite_create(group=other_group, actor=network_coordinator)


@pytest.mark.parametrize("who", ["other_organizer", "operator", "volunteer"])
def test_others_cannot_invite(request, group, who):
    with pytest.raises(NotAllowed):
        invite_create(group=group, actor=_account(request.getfixturevalue(who)))


def test_invite_for_one_person(group, organizer):
    invite = invite_create(
        group=group, actor=organizer, for_name="Анна", for_phone="8 921 555 12 34", days_valid=2
    )

    assert invite.is_personal
    assert str(invite.for_phone) == "+79215551234"
    assert invite.for_name == "Анна"


@pytest.mark.parametrize("days", [0, INVITE_DAYS_MAX + 1])
def test_validity_is_bounded(group, organizer, days):
    with pytest.raises(ValidationError) as error:
        invite_create(group=group, actor=organizer, days_valid=days)
    assert "days_valid" in error.value.message_dict


def test_unreadable_phone_is_refused(group, organizer):
    with pytest.raises(ValidationError) as error:
        invite_create(group=group, actor=organizer, for_phone="not a phone")
    assert "for_phone" in error.value.message_dict


def test_states(group, organizer):
    invite = invite_create(group=group, actor=organizer, for_name="Анна")
    assert invite.state() == InviteState.LIVE
    assert invite.state(now=invite.expires_at + timedelta(seconds=1)) == InviteState.EXPIRED
    invite.uses = 1
    assert invite.state() == InviteState.USED
    invite.revoked_at = timezone.now()
    assert invite.state() == InviteState.REVOKED


def test_open_invite_is_not_used_up(invite):
    invite.uses = 12
    assert invite.state() == InviteState.LIVE


def test_revoke_once_and_keep_the_first(invite, organizer, group):
    second = factories.OrganizerFactory(group=group)
    invite_revoke(invite=invite, actor=organizer)
    first_time = invite.revoked_at
    invite_revoke(invite=invite, actor=second)

    invite.refresh_from_db()
    assert invite.state() == InviteState.REVOKED
    assert (invite.revoked_at, invite.revoked_by) == (first_time, organizer)


@pytest.mark.parametrize("who", ["other_organizer", "operator", "volunteer"])
def test_others_cannot_revoke(request, invite, who):
    with pytest.raises(NotAllowed):
        invite_revoke(invite=invite, actor=_account(request.getfixturevalue(who)))
    invite.refresh_from_db()
    assert invite.revoked_at is None
