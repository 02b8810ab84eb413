"""Admin access follows the role: one service, used by the user admin and the demo."""

import pytest

from tests.factories import UserFactory
from users import admin as users_admin
from users.models import Role
from users.services import role_has_admin_access, user_save

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role, staff",
    [
        (Role.ORGANIZER, True),
        (Role.OPERATOR, True),
        (Role.VOLUNTEER, False),
    ],
)
def test_an_organizer_cannot_give_more_access_than_the_role(organizer, group, role, staff):
    user = UserFactory.build(group=group, role=role, is_staff=not staff, is_superuser=True)

    user_save(user=user, actor=organizer, adding=True)

    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (staff, False)
    assert role_has_admin_access(role) is staff


def test_a_superuser_may_set_the_flag_by_hand_on_an_existing_account(group):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    user = UserFactory(group=group, role=Role.VOLUNTEER)
    user.is_staff = True

    user_save(user=user, actor=superuser, adding=False)

    user.refresh_from_db()
    assert user.is_staff


def test_the_user_admin_saves_through_the_service():
    assert users_admin.user_save is user_save
    assert "is_staff" not in users_admin.UserAdmin.save_model.__code__.co_names
