"""Writes for accounts: roles and admin access, API tokens, signing out everywhere."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F

from covidarnost import permissions
from requests.exceptions import NotAllowed
from users.models import Role, User

logger = logging.getLogger(__name__)

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


def api_token_create(*, user) -> tuple[str, datetime]:
    """A new API token for a signed-in device; returns (token, expires_at).

    Rules: staff tokens last API_TOKEN_TTL_STAFF (12 h), volunteers' API_TOKEN_TTL_VOLUNTEER
    (14 days); only the token's hash is stored.
    """
    from knox.models import AuthToken

    staff = permissions.is_staff_of_group(user) or permissions.is_coordinator(user)
    ttl = settings.API_TOKEN_TTL_STAFF if staff else settings.API_TOKEN_TTL_VOLUNTEER
    instance, token = AuthToken.objects.create(user=user, expiry=ttl)
    logger.info("user %s: API token issued", user.pk)
    return token, instance.expiry


def user_revoke_tokens(*, user, reason: str) -> int:
    """Delete every API token of the user (knox stores hashes: nothing else to clear)."""
    from knox.models import AuthToken

    count, _ = AuthToken.objects.filter(user=user).delete()
    if count:
        logger.info("user %s: %d API tokens revoked (%s)", user.pk, count, reason)
    return count


@transaction.atomic
def user_sign_out_everywhere(*, user, actor, reason: str = "sign out everywhere") -> None:
    """End every session and API token of the user.

    Rules: the user themselves, or someone who may manage them (permissions.can_sign_out);
    sessions end by moving the user's session epoch, which every session's hash includes.
    """
    if not permissions.can_sign_out(actor, user):
        raise NotAllowed
    type(user)._default_manager.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    user_revoke_tokens(user=user, reason=reason)
    logger.info("user %s: signed out everywhere by %s (%s)", user.pk, actor.pk, reason)
