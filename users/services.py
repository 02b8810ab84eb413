"""Writes for accounts."""

from __future__ import annotations

from django.db import transaction

from covidarnost import permissions
from users.models import Role, User

# Roles that work in the Django admin: coordinators, organizers and operators.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.ORGANIZER, Role.OPERATOR})


def role_has_admin_access(role: str) -> bool:
    """Admin access follows the role: staff roles use the admin, volunteers never do."""
    return role in STAFF_ROLES


@transaction.atomic
def user_save(*, user: User, actor, adding: bool) -> User:
    """Save an account an organizer, coordinator or superuser edited or added.

    Rules: admin access follows the role. Organizers and coordinators give roles and never
    more: no superuser flag, no network, admin access exactly as the role says. A superuser
    may set the flags by hand on an existing account; a new one starts as its role says.
    """
    if not permissions.is_superuser(actor):
        user.is_superuser = False
        user.network = None
        user.is_staff = role_has_admin_access(user.role)
    elif adding:
        user.is_staff = role_has_admin_access(user.role)
    user.save()
    return user
