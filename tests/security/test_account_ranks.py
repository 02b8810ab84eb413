"""Staff of a higher role are never editable by a lower one, password form included."""

import pytest
from django.urls import reverse

from tests import factories

NEW_PASSWORD = {"password1": "a-Long-pass-phrase-42", "password2": "a-Long-pass-phrase-42"}


@pytest.fixture
def group_superuser(group):
    """A network coordinator who also belongs to the group (as a member of it)."""
    return factories.UserFactory(
        username="root", group=group, role="organizer", is_staff=True, is_superuser=True
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [("organizer", 403), ("operator", 403), ("other_organizer", 404), ("coordinator", 200)],
)
def test_who_opens_a_coordinators_password_form(client, request, group_superuser, role, expected):
    user = request.getfixturevalue(role)
    client.force_login(user)
    url = f"/admin/users/user/{group_superuser.pk}/password/"

    get = client.get(url)
    post = client.post(url, NEW_PASSWORD)

    assert get.status_code == expected
    if expected != 200:
        assert post.status_code == expected
        group_superuser.refresh_from_db()
        assert group_superuser.check_password("pass-Word-123")
    else:
        assert post.status_code == 302
        group_superuser.refresh_from_db()
        assert group_superuser.check_password(NEW_PASSWORD["password1"])


def test_organizer_cannot_change_a_coordinator_of_the_group(client, organizer, group_superuser):
    client.force_login(organizer)
    url = reverse("admin:users_user_change", args=[group_superuser.pk])

    client.post(url, {"username": "renamed", "role": "volunteer", "is_active": ""})

    group_superuser.refresh_from_db()
    assert group_superuser.username == "root"
    assert group_superuser.is_active


@pytest.mark.parametrize("target", ["operator", "volunteer"])
def test_organizer_still_sets_passwords_below_them(client, request, organizer, target):
    account = request.getfixturevalue(target)
    account = getattr(account, "user", account)
    client.force_login(organizer)

    response = client.post(f"/admin/users/user/{account.pk}/password/", NEW_PASSWORD)

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD["password1"])


def test_anonymous_and_volunteer_are_sent_to_sign_in(client, volunteer, group_superuser):
    url = f"/admin/users/user/{group_superuser.pk}/password/"
    assert client.get(url).status_code == 302
    client.force_login(volunteer.user)
    assert client.get(url).status_code == 302


def test_ranks(organizer, operator, volunteer, group_superuser, coordinator):
    from covidarnost.permissions import can_edit_account

    assert not can_edit_account(organizer, group_superuser)
    assert not can_edit_account(operator, organizer)
    assert not can_edit_account(operator, volunteer.user)  # operators edit no accounts
    assert can_edit_account(organizer, operator)
    assert can_edit_account(coordinator, group_superuser)
