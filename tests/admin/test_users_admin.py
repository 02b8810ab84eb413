"""Organizers add members to their own group; admin access follows the role they give."""

import pytest
from django.urls import reverse

from users.models import User

pytestmark = pytest.mark.django_db


def _new_user(role, **extra):
    return {
        "username": f"new-{role}",
        "usable_password": "true",
        "password1": "a-Long-pass-phrase-42",
        "password2": "a-Long-pass-phrase-42",
        "role": role,
        **extra,
    }


@pytest.mark.parametrize(("role", "is_staff"), [("operator", True), ("volunteer", False)])
def test_organizer_adds_user_to_their_group(login, organizer, group, other_group, role, is_staff):
    response = login(organizer).post(
        reverse("admin:users_user_add"), _new_user(role, group=other_group.pk)
    )

    assert response.status_code == 302
    user = User.objects.get(username=f"new-{role}")
    assert user.group == group  # the posted group is ignored: the field is fixed
    assert user.is_staff is is_staff
    assert not user.is_superuser


def test_organizer_must_give_a_role(login, organizer):
    response = login(organizer).post(reverse("admin:users_user_add"), _new_user(""))

    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="new-").exists()


def test_organizer_cannot_make_anyone_superuser(login, organizer, volunteer):
    url = reverse("admin:users_user_change", args=[volunteer.user.pk])
    client = login(organizer)
    form = client.get(url).context["adminform"].form
    assert not {"is_superuser", "is_staff", "groups", "user_permissions"} & set(form.fields)

    response = client.post(
        url,
        {
            "username": volunteer.user.username,
            "role": "volunteer",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )

    assert response.status_code == 302
    volunteer.user.refresh_from_db()
    assert not volunteer.user.is_superuser
    assert not volunteer.user.is_staff
