"""Volunteers from a CSV file: each line an account waiting for verification in the chosen
group, after a dry run that rejects bad phones, phones already used and unknown block codes."""

import pytest
from django.urls import reverse

from onboarding.models import Invite
from onboarding.services import volunteer_sign_up
from tests import factories
from tests.impex.conftest import confirm, upload
from users.models import Role, User
from volunteers.models import Volunteer, VolunteerStatus

pytestmark = pytest.mark.django_db
VOLUNTEER = "volunteers_volunteer"


def lines_of(response):
    return {line["line"]: line for line in response.context["lines"]}


def test_dry_run_lists_the_new_volunteers_and_writes_nothing(signed_in, organizer, group, block):
    factories.BlockFactory(group=group, code="N9")
    users = User.objects.count()

    response = upload(signed_in(organizer), VOLUNTEER, "volunteers.csv", group)

    assert response.status_code == 200
    assert response.context["counts"] == {"new": 2, "update": 0, "skip": 0, "rejected": 0}
    assert response.context["confirm_form"] is not None
    assert User.objects.count() == users


def test_confirmed_volunteers_are_pending_in_the_group_with_their_blocks(
    signed_in, organizer, group, block
):
    second = factories.BlockFactory(group=group, code="N9")
    client = signed_in(organizer)

    response = confirm(client, VOLUNTEER, upload(client, VOLUNTEER, "volunteers.csv", group))

    assert response.status_code == 302
    anna = Volunteer.objects.select_related("user").get(user__phone="+79215550123")
    assert anna.status == VolunteerStatus.PENDING
    assert (anna.user.group, anna.user.role, anna.user.first_name) == (
        group,
        Role.VOLUNTEER,
        "Анна Смирнова",
    )
    assert anna.user.email == "anna@example.org"
    assert not anna.user.has_usable_password() and not anna.user.is_staff
    assert set(anna.blocks.all()) == {block, second}
    # The username says nothing about the person.
    assert "anna" not in anna.user.username.lower() and "921" not in anna.user.username
    petr = Volunteer.objects.get(user__phone="+79215550124")
    assert list(petr.blocks.all()) == [block]


def test_rejected_lines_say_why_and_nothing_is_imported(
    signed_in, organizer, group, block, other_block
):
    factories.UserFactory(group=group, phone="+79111234599")

    response = upload(signed_in(organizer), VOLUNTEER, "volunteers_rejects.csv", group)

    lines = lines_of(response)
    assert not lines[2]["rejected"]
    assert "Неверный номер" in " ".join(lines[3]["reasons"])
    assert "уже занят" in " ".join(lines[4]["reasons"])
    assert "O1" in " ".join(lines[5]["reasons"])  # another group's block code is unknown here
    assert "Нет имени" in " ".join(lines[6]["reasons"])
    assert response.context.get("confirm_form") is None
    assert not Volunteer.objects.filter(user__phone="+79215550123").exists()


def test_a_bad_line_rolls_back_a_forged_confirmation(signed_in, organizer, group, block):
    factories.BlockFactory(group=group, code="N9")
    client = signed_in(organizer)
    good = upload(client, VOLUNTEER, "volunteers.csv", group)
    bad = upload(client, VOLUNTEER, "volunteers_rejects.csv", group)
    stored = bad.context["form"].cleaned_data["import_file"].tmp_storage_name

    confirm(client, VOLUNTEER, good, import_file_name=stored)

    assert not Volunteer.objects.filter(user__phone="+79215550123").exists()


def test_only_organizers_and_coordinators_import_volunteers(
    client, operator, volunteer, other_organizer, group, other_group
):
    client.force_login(operator)
    assert client.get(reverse(f"admin:{VOLUNTEER}_import")).status_code == 403
    client.force_login(volunteer.user)
    assert client.get(reverse(f"admin:{VOLUNTEER}_import")).status_code == 302
    client.force_login(other_organizer)
    response = upload(client, VOLUNTEER, "volunteers.csv", group)
    assert "group" in response.context["form"].errors
    assert list(response.context["form"].fields["group"].queryset) == [other_group]


def test_coordinator_imports_into_a_group_of_their_network(
    signed_in, network_coordinator, group, block
):
    factories.BlockFactory(group=group, code="N9")
    client = signed_in(network_coordinator)

    confirm(client, VOLUNTEER, upload(client, VOLUNTEER, "volunteers.csv", group))

    assert Volunteer.objects.filter(user__group=group, status=VolunteerStatus.PENDING).count() == 2


def test_each_imported_volunteer_gets_an_invite_that_takes_over_their_account(
    signed_in, organizer, group, block
):
    factories.BlockFactory(group=group, code="N9")
    client = signed_in(organizer)

    response = confirm(client, VOLUNTEER, upload(client, VOLUNTEER, "volunteers.csv", group))

    invites = Invite.objects.filter(group=group).order_by("for_name")
    assert [(i.for_name, str(i.for_phone)) for i in invites] == [
        ("Анна Смирнова", "+79215550123"),
        ("Пётр Иванов", "+79215550124"),
    ]
    assert all(invite.created_by == organizer for invite in invites)
    follow = client.get(response.url)
    assert reverse("admin:onboarding_invite_changelist") in follow.content.decode()
    anna = Volunteer.objects.get(user__phone="+79215550123")
    event = anna.status_events.get()
    assert (event.actor, event.new_status) == (organizer, VolunteerStatus.PENDING)

    signed_up = volunteer_sign_up(
        invite=invites[0], first_name="Анна", phone="+79215550123", password="Long-pass-2026!"
    )

    assert signed_up.pk == anna.pk
    assert User.objects.filter(phone="+79215550123").count() == 1
    anna.user.refresh_from_db()
    assert anna.user.has_usable_password()


def test_the_dry_run_makes_no_invite(signed_in, organizer, group, block):
    factories.BlockFactory(group=group, code="N9")
    upload(signed_in(organizer), VOLUNTEER, "volunteers.csv", group)
    assert not Invite.objects.exists()
