"""Writes for joining a group: invites, sign-up through an invite, and password help."""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import to_python as phone_to_python

from covidarnost import permissions
from onboarding.models import (
    INVITE_DAYS_MAX,
    INVITE_NAME_MAX_LENGTH,
    Invite,
    InviteState,
    PasswordHelpRequest,
)
from privacy.audit import audit_actor
from requests.exceptions import NotAllowed
from users import login_limits
from users.models import Role, User
from volunteers.models import Volunteer, VolunteerStatus, VolunteerStatusEvent
from volunteers.services import check_blocks_of_own_group, new_volunteer_username

logger = logging.getLogger(__name__)


def _phone_or_none(value):
    """A phone number as the model stores it, or None; ValidationError when unreadable."""
    if value in (None, ""):
        return None
    number = phone_to_python(value)
    if number is None or not number.is_valid():
        raise ValidationError({"for_phone": _("Enter a valid phone number.")})
    return number


@transaction.atomic
def invite_create(
    *, group, actor, for_name: str = "", for_phone=None, days_valid: int = 7
) -> Invite:
    """An invite link to sign up as a volunteer of `group`, valid for `days_valid` days.

    Rules: organizers for their own group, coordinators for their network's groups
    (permissions.can_invite_to); 1 to INVITE_DAYS_MAX days; an invite naming a person
    (for_name or for_phone) is used once, and with a phone only that number signs up.
    """
    if actor is None or not permissions.can_invite_to(actor, group):
        raise NotAllowed
    if not 1 <= int(days_valid) <= INVITE_DAYS_MAX:
        raise ValidationError(
            {"days_valid": _("Between 1 and %(most)d days.") % {"most": INVITE_DAYS_MAX}}
        )
    for_name = (for_name or "").strip()
    if len(for_name) > INVITE_NAME_MAX_LENGTH:
        raise ValidationError(
            {"for_name": _("At most %(most)d characters.") % {"most": INVITE_NAME_MAX_LENGTH}}
        )
    now = timezone.now()
    invite = Invite.objects.create(
        group=group,
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=int(days_valid)),
        for_name=for_name,
        for_phone=_phone_or_none(for_phone),
    )
    logger.info("invite %s created for group %s by %s", invite.pk, group.pk, actor.pk)
    return invite


@transaction.atomic
def invite_revoke(*, invite: Invite, actor) -> Invite:
    """Stop an invite link from working (again: nothing changes, the first revocation stays).

    Rules: whoever may create invites for its group. Accounts already made through it stay.
    """
    if actor is None or not permissions.can_invite_to(actor, invite.group):
        raise NotAllowed
    if invite.revoked_at is None:
        invite.revoked_at = timezone.now()
        invite.revoked_by = actor
        invite.save(update_fields=["revoked_at", "revoked_by"])
        logger.info("invite %s revoked by %s", invite.pk, actor.pk)
    return invite


class InviteNotUsable(ValidationError):
    """The invite is expired, revoked or used up; the sign-up page says so."""


def _account_waiting_for(invite: Invite, phone):
    """An account made for this person before they signed up (a volunteer import): a pending
    volunteer of the invite's group with this phone who never signed in. None otherwise."""
    if invite.for_phone is None or phone != invite.for_phone:
        return None
    return (
        User._default_manager.filter(
            phone=phone,
            group_id=invite.group_id,
            role=Role.VOLUNTEER,
            last_login__isnull=True,
            volunteer__status=VolunteerStatus.PENDING,
        )
        .select_related("volunteer")
        .first()
    )


@transaction.atomic
def volunteer_sign_up(
    *,
    invite: Invite,
    first_name: str,
    last_name: str = "",
    phone,
    password: str,
    languages: str = "ru",
    has_car: bool = False,
    does_pharmacy: bool = True,
    does_legal_consultation: bool = False,
    does_psychological_consultation: bool = False,
    blocks=(),
) -> Volunteer:
    """Someone with an invite link becomes a volunteer of its group, waiting for verification.

    Rules: the invite must be valid (not expired, revoked or, for one person, used); an
    invite with a phone number only signs up that number; the phone number belongs to no
    other account (an account imported for this very person is taken over instead); the
    password passes Django's validators; blocks are the group's own. The account is a
    volunteer's (no admin access), the profile pending: an organizer verifies them.
    """
    invite = Invite.objects.select_for_update().select_related("group").get(pk=invite.pk)
    if invite.state() != InviteState.LIVE:
        raise InviteNotUsable(_("This invitation link no longer works."), code=invite.state())
    phone = _phone_or_none(phone)
    if phone is None:
        raise ValidationError({"phone": _("Enter a valid phone number.")})
    if invite.for_phone is not None and phone != invite.for_phone:
        raise ValidationError(
            {"phone": _("This invitation is for another phone number. Ask for your own link.")}
        )
    first_name = (first_name or "").strip()
    if not first_name:
        raise ValidationError({"first_name": _("Tell us your name.")})
    blocks = list(blocks)
    check_blocks_of_own_group(group_id=invite.group_id, blocks=blocks)

    user = _account_waiting_for(invite, phone)
    if user is None:
        if User._default_manager.filter(phone=phone).exists():
            raise ValidationError(
                {
                    "phone": _(
                        "This phone number cannot be used for a new account. If you have an "
                        "account, sign in or ask for a new password."
                    )
                }
            )
        user = User(username=new_volunteer_username(), phone=phone, group=invite.group)
    user.first_name = first_name[:150]
    user.last_name = (last_name or "").strip()[:150]
    user.role = Role.VOLUNTEER
    user.is_staff = False
    user.is_superuser = False
    user.is_active = True
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()

    # The new member is the actor of their own profile in the audit log.
    with audit_actor(user):
        volunteer = Volunteer.objects.filter(user=user).first() or Volunteer(user=user)
        volunteer.status = VolunteerStatus.PENDING
        volunteer.languages = languages or "ru"
        volunteer.has_car = has_car
        volunteer.does_pharmacy = does_pharmacy
        volunteer.does_legal_consultation = does_legal_consultation
        volunteer.does_psychological_consultation = does_psychological_consultation
        if blocks and volunteer.base_latitude is None:
            volunteer.base_latitude = blocks[0].latitude
            volunteer.base_longitude = blocks[0].longitude
        volunteer.full_clean(exclude=["user"], validate_unique=False)
        volunteer.save()
        if blocks:
            volunteer.blocks.add(*blocks)
        VolunteerStatusEvent.objects.create(
            volunteer=volunteer,
            actor=user,
            old_status="",
            new_status=VolunteerStatus.PENDING,
            reason=_("Signed up with an invitation link."),
        )
    invite.uses = F("uses") + 1
    fields = ["uses"]
    if invite.is_personal:
        invite.used_by = user
        fields.append("used_by")
    invite.save(update_fields=fields)
    logger.info("volunteer %s signed up through invite %s", volunteer.pk, invite.pk)
    return volunteer


# --- Forgotten passwords ---------------------------------------------------------------------


@transaction.atomic
def password_help_request(*, text: str) -> PasswordHelpRequest | None:
    """Someone says they forgot the password of the account a phone number or username names.

    Rules: the request goes to the organizers of the account's group (one open request per
    account: asking again adds nothing); nothing happens for text that names no active
    account of a group. The caller answers the same either way, so the form does not tell
    whether a number is registered.
    """
    account = login_limits.find_account(text)
    if account is None or not account.is_active or account.group_id is None:
        return None
    open_request = PasswordHelpRequest.objects.filter(user=account, handled_at__isnull=True)
    existing = open_request.first()
    if existing is not None:
        return existing
    help_request = PasswordHelpRequest.objects.create(user=account, group_id=account.group_id)
    logger.info("password help asked for user %s", account.pk)
    return help_request


def password_link_path(*, user) -> str:
    """The path of a one-time link to set a new password (Django's token: valid for
    PASSWORD_RESET_TIMEOUT, void once the password changes or the account signs in)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("onboarding:password_set", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def password_link_issue(*, user, actor) -> str:
    """An organizer makes a one-time link for a member to set a new password; returns the
    full URL to pass on (by phone, a messenger, in person: no email server needed).

    Rules: permissions.can_issue_password_link (the account is in the organizer's scope and
    does not outrank them, never their own); the member's open requests count as answered;
    the admin's log records who issued it.
    """
    if not permissions.can_issue_password_link(actor, user):
        raise NotAllowed
    PasswordHelpRequest.objects.filter(user=user, handled_at__isnull=True).update(
        handled_at=timezone.now(), handled_by=actor
    )
    logger.info("password link for user %s issued by %s", user.pk, actor.pk)
    return settings.SITE_URL + password_link_path(user=user)


def email_is_configured() -> bool:
    """Whether emails reach people: a real backend, not the console or the dummy one."""
    return settings.EMAIL_BACKEND not in {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    }


def password_link_email(*, user) -> bool:
    """Email the member a one-time link themselves, through Django's PasswordResetForm
    templates and sending; only with email configured and an address on the account."""
    if not (email_is_configured() and user.email and user.is_active and user.has_usable_password()):
        return False
    site = urlsplit(settings.SITE_URL)
    context = {
        "email": user.email,
        "domain": site.netloc,
        "site_name": _("Covidarnost"),
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": site.scheme or "https",
        "link": settings.SITE_URL + password_link_path(user=user),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    PasswordResetForm().send_mail(
        "onboarding/password_email_subject.txt",
        "onboarding/password_email.txt",
        context,
        None,
        user.email,
    )
    logger.info("password link emailed to user %s", user.pk)
    return True
