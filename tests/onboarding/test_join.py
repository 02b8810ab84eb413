"""/join/<token>/: sign up through an invite; the account waits for verification."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onboarding.models import Invite
from onboarding.services import invite_create, invite_revoke
from tests import factories
from users.models import LoginFailure, Role, User
from volunteers.models import Volunteer, VolunteerStatus, VolunteerStatusEvent

pytestmark = pytest.mark.django_db

PASSWORD = "kvas-Pirog-2026"


def url(invite) -> str:
    return reverse("onboarding:join", kwargs={"token": invite.token})


def form(**changes) -> dict:
    data = {
        "first_name": "Анна",
        "last_name": "Петрова",
        "phone": "+79215550101",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "languages": ["ru", "en"],
        "does_pharmacy": "on",
        "has_car": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_page_shows_the_group_name_and_its_blocks(client, invite, group, block):
    page = client.get(url(invite), HTTP_ACCEPT_LANGUAGE="ru")
    text = page.content.decode()

    assert page.status_code == 200
    assert group.name in text
    assert block.address in text
    assert 'autocomplete="new-password"' in text


def test_page_query_count(client, invite, group, django_assert_max_num_queries):
    for _ in range(20):
        factories.BlockFactory(group=group)
    with django_assert_max_num_queries(3):
        assert client.get(url(invite)).status_code == 200


def test_sign_up_makes_a_pending_volunteer_and_signs_them_in(client, invite, group, block):
    response = client.post(url(invite), form(blocks=[str(block.pk)]))

    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:safety")
    user = User.objects.get(phone="+79215550101")
    assert (user.role, user.group, user.is_staff, user.first_name) == (
        Role.VOLUNTEER,
        group,
        False,
        "Анна",
    )
    assert user.check_password(PASSWORD)
    volunteer = user.volunteer
    assert volunteer.status == VolunteerStatus.PENDING
    assert volunteer.language_codes() == ["ru", "en"]
    assert (volunteer.has_car, volunteer.does_pharmacy, volunteer.does_legal_consultation) == (
        True,
        True,
        False,
    )
    assert list(volunteer.blocks.all()) == [block]
    assert volunteer.base_latitude == block.latitude
    event = VolunteerStatusEvent.objects.get(volunteer=volunteer)
    assert (event.actor, event.new_status) == (user, VolunteerStatus.PENDING)
    invite.refresh_from_db()
    assert invite.uses == 1
    # Signed in: the safety rules, with the note that they wait for verification.
    page = client.get(reverse("volunteers:safety"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "waiting for verification" in page.content.decode()


def test_pending_account_sees_no_tasks_on_the_web_or_the_api(client, invite, help_request):
    client.post(url(invite), form())
    user = User.objects.get(phone="+79215550101")

    for path in ("/tasks/", f"/tasks/{help_request.pk}/", "/checkins/", "/history/", "/profile/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 403, path
        assert "waiting for verification" in response.content.decode()
        assert help_request.neighbor.name not in response.content.decode()
    client.force_login(user)
    for path in ("/api/v1/tasks/", f"/api/v1/tasks/{help_request.pk}/", "/api/v1/blocks/"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/api/v1/tasks/{help_request.pk}/claim/").status_code == 403


def test_pending_volunteer_may_accept_the_safety_rules(client, invite):
    client.post(url(invite), form())
    response = client.post(reverse("volunteers:safety"), {"accept": "on"})

    assert response.status_code == 302
    assert Volunteer.objects.get().safety_protocol_accepted_at is not None


def test_blocks_of_another_group_cannot_be_chosen(client, invite, block, other_block):
    response = client.post(url(invite), form(blocks=[str(other_block.pk)]))
    assert response.status_code == 400
    assert not User.objects.filter(phone="+79215550101").exists()


def test_weak_or_differing_passwords_are_refused(client, invite):
    weak = client.post(url(invite), form(password1="12345678", password2="12345678"))
    differing = client.post(url(invite), form(password2="another-Pass-99"))

    assert weak.status_code == differing.status_code == 400
    assert not User.objects.filter(phone="+79215550101").exists()


def test_a_phone_with_an_account_is_refused(client, invite, volunteer):
    volunteer.user.phone = "+79215550101"
    volunteer.user.save()

    response = client.post(url(invite), form())

    assert response.status_code == 400
    assert User.objects.filter(phone="+79215550101").count() == 1


@pytest.mark.parametrize("state", ["expired", "revoked", "used"])
def test_dead_links_say_so_and_show_only_the_groups_name(client, group, organizer, block, state):
    invite = invite_create(group=group, actor=organizer, for_name="Анна")
    if state == "expired":
        Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    elif state == "revoked":
        invite_revoke(invite=invite, actor=organizer)
    else:
        client.post(url(invite), form())
        client.logout()

    for response in (client.get(url(invite)), client.post(url(invite), form(phone="+79215550202"))):
        text = response.content.decode()
        assert response.status_code == 410
        assert group.name in text
        assert block.address not in text
        assert "Анна" not in text
    assert not User.objects.filter(phone="+79215550202").exists()


def test_unknown_token_is_404(client, invite):
    assert client.get(reverse("onboarding:join", kwargs={"token": "x" * 43})).status_code == 404
    assert client.get(reverse("onboarding:join", kwargs={"token": "x" * 200})).status_code == 404


def test_personal_invite_prefills_and_only_takes_its_phone(client, group, organizer):
    invite = invite_create(group=group, actor=organizer, for_name="Анна", for_phone="+79215550101")
    page = client.get(url(invite)).content.decode()
    assert 'value="Анна"' in page

    wrong = client.post(url(invite), form(phone="+79215550202"))
    assert wrong.status_code == 400
    assert client.post(url(invite), form()).status_code == 302
    invite.refresh_from_db()
    assert invite.used_by.phone == "+79215550101"


def test_open_invite_serves_many(client, invite):
    client.post(url(invite), form())
    client.logout()
    client.post(url(invite), form(phone="+79215550202"))

    assert Volunteer.objects.filter(status=VolunteerStatus.PENDING).count() == 2
    invite.refresh_from_db()
    assert invite.uses == 2


def test_imported_account_is_taken_over_by_its_person(client, group, organizer):
    imported = factories.VolunteerFactory(
        user__group=group,
        user__phone="+79215550101",
        user__first_name="А.",
        status=VolunteerStatus.PENDING,
        verified_at=None,
    )
    invite = invite_create(group=group, actor=organizer, for_phone="+79215550101")

    assert client.post(url(invite), form()).status_code == 302

    imported.user.refresh_from_db()
    assert imported.user.check_password(PASSWORD)
    assert imported.user.first_name == "Анна"
    assert User.objects.filter(phone="+79215550101").count() == 1


def test_signed_in_people_are_told_to_sign_out_first(client, invite, volunteer):
    client.force_login(volunteer.user)
    response = client.get(url(invite), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "sign out first" in response.content.decode()
    assert client.post(url(invite), form()).status_code == 200
    assert not User.objects.filter(phone="+79215550101").exists()


def test_sign_ups_are_limited_per_connection(client, invite, settings):
    settings.JOIN_CLIENT_ATTEMPTS = "2/hour"
    bad = form(password2="differs-Pass-1")
    assert client.post(url(invite), bad).status_code == 400
    assert client.post(url(invite), bad).status_code == 400
    assert client.post(url(invite), form()).status_code == 429
    assert not User.objects.filter(phone="+79215550101").exists()


def test_no_client_address_is_stored(client, invite):
    client.post(url(invite), form(), REMOTE_ADDR="203.0.113.7")
    assert LoginFailure.objects.exists()
    assert not LoginFailure.objects.filter(key__contains="203.0.113.7").exists()
