"""manage.py seed_demo: realistic, deterministic, idempotent, and refused on production."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.utils import timezone

from covidarnost.geo import haversine_m
from demo import data as demo_data
from demo.management.commands import seed_demo as seed_demo_command
from demo.plan import build_plan
from demo.seed import SEED, AccountRow, SeedResult
from neighbors.models import Block, Group, Neighbor, Network
from onboarding.models import Invite, InviteState
from requests.models import HelpRequest, RequestEvent, Status
from users.models import User
from volunteers.models import Volunteer, VolunteerStatus, VolunteerStatusEvent

pytestmark = pytest.mark.django_db

ONE = demo_data.GROUP_ONE["slug"]
TWO = demo_data.GROUP_TWO["slug"]
MODELS = [Network, Group, Block, User, Volunteer, Neighbor, HelpRequest, RequestEvent]
# A second run adds no invite and no verification record either.
MODELS += [Invite, VolunteerStatusEvent]


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(autouse=True)
def _debug_on(settings):
    settings.DEBUG = True


def test_second_run_creates_nothing_new_and_resets_passwords():
    seed("--password", "first-pass-1")
    first = counts()
    assert all(u.check_password("first-pass-1") for u in User.objects.all())

    output = seed("--password", "second-pass-2")

    assert counts() == first
    assert first["User"] == 30
    assert first["Group"] == 2
    assert 75 <= first["Neighbor"] <= 85
    assert 55 <= first["HelpRequest"] <= 65
    assert Block.objects.filter(group__slug=ONE).count() >= 35
    assert all(u.check_password("second-pass-2") for u in User.objects.all())
    assert "second-pass-2" in output
    assert Invite.objects.get().url in output


def test_plan_is_the_same_on_every_build():
    assert build_plan(SEED) == build_plan(SEED)


class TestSeededDemo(TestCase):
    """Read-only checks share one seeded database (setUpTestData seeds once per class)."""

    @classmethod
    def setUpTestData(cls):
        with override_settings(DEBUG=True):
            seed("--password", "demo-pass-1")

    def test_accounts_have_their_groups_and_roles(self):
        users = {u.username: u for u in User.objects.select_related("group")}
        for name in ("organizer", "organizer2"):
            assert users[name].role == "organizer"
            assert users[name].is_staff
        assert users["organizer"].group.slug == ONE
        assert users["organizer2"].group.slug == TWO
        assert users["operator"].role == "operator"
        assert users["operator"].group.slug == ONE
        for n in range(1, 26):
            volunteer = users[f"volunteer{n}"]
            assert volunteer.role == "volunteer"
            assert not volunteer.is_staff
            assert volunteer.group.slug == (ONE if n <= 20 else TWO)
            assert Volunteer.objects.filter(user=volunteer).exists()
        assert not any(u.is_superuser for u in users.values())

    def test_coordinator_looks_after_both_demo_groups_without_superuser_flag(self):
        from covidarnost import permissions
        from neighbors.models import Group

        coordinator = User.objects.get(username="coordinator")
        assert (coordinator.role, coordinator.group, coordinator.is_staff) == (
            "coordinator",
            None,
            True,
        )
        assert not coordinator.is_superuser
        seen = permissions.scope(Group.objects.all(), coordinator)
        assert set(seen.values_list("slug", flat=True)) == {ONE, TWO}

    def test_demo_group_has_a_live_invite_and_a_newcomer_waiting(self):
        invite = Invite.objects.get(group__slug=ONE)
        assert invite.state() == InviteState.LIVE
        assert not invite.is_personal
        newcomer = Volunteer.objects.select_related("user__group").get(user__username="newcomer")
        assert newcomer.status == VolunteerStatus.PENDING
        assert newcomer.user.group.slug == ONE
        assert newcomer.user.role == "volunteer"

    def test_verified_volunteers_say_how_they_are_known_and_the_paused_one_why(self):
        verified = Volunteer.objects.filter(status=VolunteerStatus.VERIFIED)
        assert not verified.filter(verification_method="").exists()
        assert verified.filter(verification_method="vouched", vouched_by__isnull=False).exists()
        paused = Volunteer.objects.get(status=VolunteerStatus.PAUSED)
        assert paused.status_reason

    def test_volunteers_are_mostly_verified_with_a_few_pending_and_one_paused(self):
        volunteers = Volunteer.objects.select_related("user")
        by_status = {s: volunteers.filter(status=s).count() for s in VolunteerStatus.values}
        assert by_status["pending"] >= 2
        assert by_status["paused"] == 1
        assert by_status["verified"] >= 18
        accepted = volunteers.filter(safety_protocol_accepted_at__isnull=False).count()
        assert accepted > volunteers.count() / 2
        verified = volunteers.filter(status="verified")
        assert all(v.blocks.exists() and v.base_latitude is not None for v in verified)

    def test_one_verified_volunteer_has_no_smartphone_and_a_phone_for_sms(self):
        without = Volunteer.objects.filter(no_smartphone=True).select_related("user")
        assert [v.user.username for v in without] == ["volunteer16"]
        volunteer = without.get()
        assert volunteer.status == "verified" and volunteer.user.phone
        assert volunteer.safety_protocol_accepted_at is not None

    def test_one_resident_agreed_to_sms_on_a_mobile(self):
        from covidarnost.phones import is_mobile
        from neighbors.models import Neighbor

        agreed = Neighbor.objects.filter(consent_to_sms=True).select_related("block__group")
        assert agreed.count() == 1
        resident = agreed.get()
        assert (resident.block.group.slug, resident.block.code) == (ONE, "CR01")
        assert is_mobile(resident.phone) and resident.consent_recorded_at is not None

    def test_volunteer1_and_volunteer2_share_a_block(self):
        first = set(Volunteer.objects.get(user__username="volunteer1").blocks.all())
        second = set(Volunteer.objects.get(user__username="volunteer2").blocks.all())
        assert first & second

    def test_blocks_are_real_streets_near_chyornaya_rechka(self):
        blocks = Block.objects.filter(group__slug=ONE)
        streets = {b.address.split(",")[0] for b in blocks}
        assert {
            "Торжковская ул.",
            "Белоостровская ул.",
            "Аптекарская наб.",
            "Ланское ш.",
        } <= streets
        lat, lon = demo_data.CENTER
        for block in blocks:
            assert haversine_m(lat, lon, block.latitude, block.longitude) < 1500, block.address
            assert re.search("[а-яё]", block.address)
            assert block.entrances >= 1 and block.floors >= 1

    def test_requests_exist_in_every_status_with_their_history(self):
        group_one = HelpRequest.objects.filter(block__group__slug=ONE)
        for status in Status.values:
            assert group_one.filter(status=status).exists(), status
        now = timezone.now()
        for help_request in HelpRequest.objects.prefetch_related("events"):
            events = list(help_request.events.all())
            assert events[0].action == "create"
            assert events[-1].to_status == help_request.status
            assert [e.created_at for e in events] == sorted(e.created_at for e in events)
            assert help_request.created_at <= now
            if help_request.status == Status.DELIVERED:
                assert help_request.claimed_at <= help_request.delivered_at <= now
        # Some requests went back to the open list: released or reopened.
        assert RequestEvent.objects.filter(action__in=["release", "reopen"]).exists()

    def test_neighbors_look_real(self):
        neighbors = Neighbor.objects.all()
        assert neighbors.filter(is_isolated=True).exists()
        assert neighbors.exclude(notes="").exists()
        for neighbor in neighbors:
            assert len(neighbor.name.split()) == 3  # surname, name, patronymic
            assert neighbor.flat
            if neighbor.phone:
                assert str(neighbor.phone).startswith("+79")


def test_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed("--password", "demo-pass-1")
    assert User.objects.count() == 0


def test_force_runs_with_debug_off(settings, monkeypatch):
    calls = []

    def fake_seed(*, password):
        calls.append(password)
        return SeedResult(
            accounts=[AccountRow("organizer", "organizer", "g", password)], created_requests=0
        )

    monkeypatch.setattr(seed_demo_command, "seed_demo", fake_seed)
    settings.DEBUG = False
    seed("--password", "demo-pass-1", "--force")
    assert calls == ["demo-pass-1"]


def test_without_password_prints_a_working_password_per_account():
    output = seed()
    printed = dict(re.findall(r"^(\w+)\s+\w+\s+.+?\s{2,}(\S+)$", output, re.MULTILINE))
    printed.pop("username", None)
    assert len(printed) == 30
    assert len(set(printed.values())) == 30
    for username, password in printed.items():
        assert User.objects.get(username=username).check_password(password), username

    again = seed()
    assert "(unchanged)" in again
    volunteer = User.objects.get(username="volunteer1")
    assert volunteer.check_password(printed["volunteer1"])


def test_empty_password_is_refused():
    with pytest.raises(CommandError, match="password"):
        seed("--password", " ")
