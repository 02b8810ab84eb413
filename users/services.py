"""Writes for accounts: roles and admin access, API tokens, signing out everywhere, the
second factor."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from covidarnost import permissions
from privacy.audit import audit_actor
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


# A used staff token's expiry moves at most once a minute: not one write per API call.
TOKEN_REFRESH_SECONDS = 60


def _staff_token(user) -> bool:
    """Tokens of staff roles (and superusers) are short and idle-bound; by role, no query."""
    return bool(user.is_superuser) or user.role in STAFF_ROLES


def _staff_expiry(*, created: datetime, now: datetime) -> datetime:
    """Unused for API_TOKEN_IDLE_STAFF it stops; never later than API_TOKEN_TTL_STAFF in all."""
    return min(now + settings.API_TOKEN_IDLE_STAFF, created + settings.API_TOKEN_TTL_STAFF)


def api_token_create(*, user) -> tuple[str, datetime]:
    """A new API token for a signed-in device; returns (token, expires_at).

    Rules: a staff token stops working after API_TOKEN_IDLE_STAFF (2 h) without a call, and
    12 h after sign-in at the latest (API_TOKEN_TTL_STAFF); volunteers' last
    API_TOKEN_TTL_VOLUNTEER (14 days). expires_at: when it stops if not used. Only the
    token's hash is stored.
    """
    now = timezone.now()
    # Expired tokens of the user go now (authentication checks only the token it is given).
    AuthToken.objects.filter(user=user, expiry__lt=now).delete()
    if _staff_token(user):
        ttl = _staff_expiry(created=now, now=now) - now
    else:
        ttl = settings.API_TOKEN_TTL_VOLUNTEER
    instance, token = AuthToken.objects.create(user=user, expiry=ttl)
    logger.info("user %s: API token issued", user.pk)
    return token, instance.expiry


def api_token_touch(*, token: AuthToken) -> None:
    """A token was just used: a staff token keeps working API_TOKEN_IDLE_STAFF longer.

    Rules: never past API_TOKEN_TTL_STAFF after sign-in; volunteers' tokens do not move;
    written at most once a minute per token.
    """
    if token.expiry is None or not _staff_token(token.user):
        return
    expiry = _staff_expiry(created=token.created, now=timezone.now())
    if (expiry - token.expiry).total_seconds() > TOKEN_REFRESH_SECONDS:
        AuthToken.objects.filter(digest=token.digest).update(expiry=expiry)
        token.expiry = expiry


def user_revoke_tokens(*, user, reason: str) -> int:
    """Delete every API token of the user (knox stores hashes: nothing else to clear)."""
    count, _by_model = AuthToken.objects.filter(user=user).delete()
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
    account = get_user_model()._default_manager.select_for_update().get(pk=user.pk)
    account.session_epoch += 1
    with audit_actor(actor):  # who signed them out, in the account's history
        account.save(update_fields=["session_epoch"])
    if hasattr(user, "refresh_from_db"):
        user.refresh_from_db(fields=["session_epoch"])
    user_revoke_tokens(user=user, reason=reason)
    logger.info("user %s: signed out everywhere by %s (%s)", user.pk, actor.pk, reason)


# --- Second factor (django-otp: TOTP, and single-use recovery codes) -----------------------
RECOVERY_CODES = 10


def second_factor_device(*, user):
    """The user's confirmed TOTP device, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def second_factor_setup_start(*, user):
    """An unconfirmed TOTP device to show as a QR code and a key (the same one until used)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def second_factor_confirm(*, user, token: str) -> list[str]:
    """Confirm the authenticator app with a code it shows; returns new recovery codes.

    Rules: the code must match the unconfirmed device; any older device and recovery codes
    are replaced (a new phone); the codes are shown once and stored as django-otp keeps them.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token((token or "").strip().replace(" ", "")):
        raise ValidationError({"token": _("This code does not match. Type the current one.")})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    recovery.token_set.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    logger.info("user %s: second factor set up", user.pk)
    return codes


def second_factor_match(*, user, token: str):
    """The confirmed device (authenticator or a recovery code, used up) a code matches."""
    token = (token or "").strip().replace(" ", "")
    return match_token(user, token) if token else None
