"""Writes for volunteer profiles: verification, blocks, availability, safety rules, the
Telegram chat offers go to.

Each names its actor to the audit log (privacy.audit.audit_actor): the organizer, or the
volunteer themselves for their own settings, also where no one is signed in (the Telegram
webhook).
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterable
from datetime import time

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covidarnost import permissions
from covidarnost.phones import normalize_phone, parse_phone
from neighbors.models import Block
from privacy.audit import audit_actor
from requests.exceptions import NotAllowed
from requests.models import IN_HAND, HelpRequest
from requests.services import help_request_take_back
from users.models import Role, User
from users.services import user_sign_out_everywhere
from volunteers.models import (
    MAX_TASK_LIMIT,
    MAX_WEEKLY_SLOTS,
    STATUS_REASON_MAX_LENGTH,
    NotificationChannel,
    VerificationMethod,
    Volunteer,
    VolunteerStatus,
    VolunteerStatusEvent,
    WeeklySlot,
)

logger = logging.getLogger(__name__)


def _require_organizer_of(actor, volunteer: Volunteer) -> None:
    if not (permissions.can_manage_group(actor) and permissions.can_see(actor, volunteer)):
        raise NotAllowed


# What each new state needs: verification says how the organizer knows the person, a pause
# or removal says why. Removing a volunteer who waits for verification is how an
# application is turned down.
REASON_NEEDED = frozenset({VolunteerStatus.PAUSED, VolunteerStatus.REMOVED})


def _check_status_change(*, volunteer, status, method, reason, vouched_by) -> None:
    if status not in VolunteerStatus.values:
        raise ValidationError({"status": _("Unknown verification state.")})
    if status == VolunteerStatus.VERIFIED:
        if method and method not in VerificationMethod.values:
            raise ValidationError({"method": _("Unknown way of knowing the volunteer.")})
        if not method and not volunteer.verification_method:
            raise ValidationError(
                {"method": _("Say how you know this person before verifying them.")}
            )
        if method == VerificationMethod.VOUCHED:
            if vouched_by is None:
                raise ValidationError({"vouched_by": _("Say which member vouched for them.")})
            if vouched_by.pk == volunteer.user_id or vouched_by.group_id != volunteer.group_id:
                raise ValidationError(
                    {"vouched_by": _("A member of the volunteer's own group vouches for them.")}
                )
    if status in REASON_NEEDED and not reason:
        raise ValidationError({"reason": _("Say why; the volunteer's record keeps it.")})
    if len(reason) > STATUS_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("At most %(most)d characters.") % {"most": STATUS_REASON_MAX_LENGTH}}
        )


@transaction.atomic
def volunteer_set_status(
    *,
    volunteer: Volunteer,
    status: str,
    actor,
    method: str = "",
    reason: str = "",
    vouched_by=None,
) -> Volunteer:
    """An organizer verifies, pauses or removes a volunteer of their group (removing one who
    waits for verification turns their application down).

    Rules: verifying says how the organizer knows them (method; a member who vouched names
    that member) unless a way was recorded before (a paused volunteer back at work); pausing
    and removing say why (reason). Every change leaves a VolunteerStatusEvent: who, when,
    old and new state, how or why.
    Pausing or removing ends every session and API token of the volunteer.
    Removing a volunteer returns the tasks they hold to the open list through the request
    services (an event by the organizer each, a new code word, matching starts again).
    """
    _require_organizer_of(actor, volunteer)
    reason = (reason or "").strip()
    method = method or ""
    _check_status_change(
        volunteer=volunteer, status=status, method=method, reason=reason, vouched_by=vouched_by
    )
    if status == VolunteerStatus.REMOVED:
        held = HelpRequest.objects.filter(volunteer=volunteer, status__in=IN_HAND)
        for help_request in held.select_related("block__group", "volunteer__user"):
            help_request_take_back(
                help_request=help_request,
                actor=actor,
                reason=_("The volunteer was removed from the group."),
            )
    old_status = volunteer.status
    volunteer.status = status
    fields = ["status", "status_reason"]
    if status == VolunteerStatus.VERIFIED:
        if volunteer.verified_at is None:
            volunteer.verified_at = timezone.now()
            volunteer.verified_by = actor
            fields += ["verified_at", "verified_by"]
        if method:
            volunteer.verification_method = method
            volunteer.vouched_by = vouched_by if method == VerificationMethod.VOUCHED else None
            fields += ["verification_method", "vouched_by"]
    volunteer.status_reason = reason
    with audit_actor(actor):
        volunteer.save(update_fields=fields)
    VolunteerStatusEvent.objects.create(
        volunteer=volunteer,
        actor=actor,
        old_status=old_status,
        new_status=status,
        method=method if status == VolunteerStatus.VERIFIED else "",
        vouched_by=vouched_by if method == VerificationMethod.VOUCHED else None,
        reason=reason,
    )
    logger.info(
        "volunteer %s: %s -> %s by %s", volunteer.pk, old_status, status, getattr(actor, "pk", None)
    )
    if status in (VolunteerStatus.PAUSED, VolunteerStatus.REMOVED):
        # Whoever holds their phone must not stay signed in: every session and token ends.
        user_sign_out_everywhere(user=volunteer.user, actor=actor, reason=f"volunteer {status}")
    return volunteer


def check_blocks_of_own_group(*, group_id, blocks: Iterable[Block]) -> None:
    """The rule of volunteer_assign_blocks, for forms that check before saving."""
    if any(block.group_id != group_id for block in blocks):
        raise ValidationError({"blocks": _("A volunteer can only get blocks of their own group.")})


@transaction.atomic
def volunteer_assign_blocks(
    *, volunteer: Volunteer, blocks: Iterable[Block], actor, only_these: bool = False
) -> Volunteer:
    """An organizer gives a volunteer more blocks (their own group's only); only_these: the
    volunteer keeps exactly these (the admin's form), others are taken away
    (volunteer_unassign_blocks).

    A volunteer without a base location starts from their first block.
    """
    _require_organizer_of(actor, volunteer)
    blocks = list(blocks)
    check_blocks_of_own_group(group_id=volunteer.group_id, blocks=blocks)
    with audit_actor(actor):
        volunteer.blocks.add(*blocks)
        if only_these:
            keep = {block.pk for block in blocks}
            gone = [block for block in volunteer.blocks.all() if block.pk not in keep]
            if gone:
                volunteer_unassign_blocks(volunteer=volunteer, blocks=gone, actor=actor)
        if volunteer.base_latitude is None and blocks:
            volunteer.base_latitude = blocks[0].latitude
            volunteer.base_longitude = blocks[0].longitude
            volunteer.save(update_fields=["base_latitude", "base_longitude"])
    return volunteer


@transaction.atomic
def volunteer_unassign_blocks(*, volunteer: Volunteer, blocks: Iterable[Block], actor) -> Volunteer:
    """An organizer takes blocks away from a volunteer of their group.

    Rules: blocks of the volunteer's own group only (as for assigning). A base location that
    was a block taken away (volunteer_assign_blocks copied it) moves to the first block left,
    by code, or is cleared when none is left: matching must not measure from a block the
    volunteer no longer serves. A base location set by hand stays.
    """
    _require_organizer_of(actor, volunteer)
    blocks = list(blocks)
    check_blocks_of_own_group(group_id=volunteer.group_id, blocks=blocks)
    with audit_actor(actor):
        volunteer.blocks.remove(*blocks)
        base = (volunteer.base_latitude, volunteer.base_longitude)
        if base[0] is not None and base in {(b.latitude, b.longitude) for b in blocks}:
            first = volunteer.blocks.order_by("code").first()
            volunteer.base_latitude = first.latitude if first else None
            volunteer.base_longitude = first.longitude if first else None
            volunteer.save(update_fields=["base_latitude", "base_longitude"])
    return volunteer


@transaction.atomic
def volunteer_accept_safety_protocol(*, volunteer: Volunteer) -> Volunteer:
    """Record that the volunteer read and accepted the group's safety rules (first time only).

    Only the volunteer accepts for themselves: they are the actor.
    """
    if volunteer.safety_protocol_accepted_at is None:
        volunteer.safety_protocol_accepted_at = timezone.now()
        with audit_actor(volunteer.user):
            volunteer.save(update_fields=["safety_protocol_accepted_at"])
    return volunteer


# Skills a volunteer sets for themselves (matching reads them: requests.matching).
SELF_SET_SKILLS = (
    "has_car",
    "does_pharmacy",
    "does_legal_consultation",
    "does_psychological_consultation",
)
# Consultations carry confidential notes (permissions.can_see_request_notes): a volunteer may
# stop giving them, but only the group's organizers say who starts.
SKILLS_ORGANIZERS_CONFIRM = ("does_legal_consultation", "does_psychological_consultation")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$")


def normalize_languages(value: str) -> str:
    """ "RU, en;uz" → "ru, en, uz": the form matching reads; refuses what is not a code."""
    codes = []
    for code in re.split(r"[\s,;]+", value.strip().lower()):
        if not code:
            continue
        if not _LANGUAGE_CODE.match(code):
            raise ValidationError(
                {
                    "languages": _(
                        "“%(code)s” is not a language code. Use two or three letters, "
                        "for example: ru, en, uz."
                    )
                    % {"code": code[:20]}
                }
            )
        if code not in codes:
            codes.append(code)
    joined = ", ".join(codes)
    if len(joined) > Volunteer._meta.get_field("languages").max_length:
        raise ValidationError({"languages": _("Too many languages.")})
    return joined


def merge_weekly_slots(slots: Iterable[tuple[int, time, time]]) -> list[tuple[int, time, time]]:
    """(weekday, start, end) sorted, with overlapping or touching slots of a day joined.

    Rules: weekday 0 (Monday) to 6; start before end (a night shift is two slots, one each
    side of midnight; END_OF_DAY ends a slot at midnight).
    """
    merged: list[list] = []
    for weekday, start, end in sorted(slots):
        if not 0 <= weekday <= 6:
            raise ValidationError({"slots": _("Unknown day of the week.")})
        if not start < end:
            raise ValidationError(
                {
                    "slots": _(
                        "A time slot must end after it starts. For a night, give two slots: "
                        "until 00:00, and from 00:00 the next day."
                    )
                }
            )
        if merged and merged[-1][0] == weekday and start <= merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], end)
        else:
            merged.append([weekday, start, end])
    return [tuple(slot) for slot in merged]


def _set_weekly_slots(volunteer: Volunteer, slots: Iterable[tuple[int, time, time]]) -> None:
    wanted = set(merge_weekly_slots(slots))
    if len(wanted) > MAX_WEEKLY_SLOTS:
        raise ValidationError(
            {"slots": _("At most %(count)d time slots.") % {"count": MAX_WEEKLY_SLOTS}}
        )
    current = {(slot.weekday, slot.start, slot.end): slot for slot in volunteer.weekly_slots.all()}
    # Only what changed is deleted or created, so the audit log lists real changes; one by
    # one, since bulk writes send no signals and auditlog would record nothing.
    for key, slot in current.items():
        if key not in wanted:
            slot.delete()
    for weekday, start, end in sorted(wanted - current.keys()):
        WeeklySlot.objects.create(volunteer=volunteer, weekday=weekday, start=start, end=end)


@transaction.atomic
def volunteer_accept_safety_protocol_for(*, volunteer: Volunteer, actor) -> Volunteer:
    """Record that an operator or organizer read the safety rules out by phone to a volunteer
    without a smartphone, and the volunteer accepted them.

    Rules: staff of the volunteer's group; only for a volunteer marked "no smartphone" (the
    others read and accept them on the site themselves); the first acceptance stands, with
    who read them out (a repeat changes nothing).
    """
    if not permissions.can_act_for_volunteer_profile(actor, volunteer):
        raise NotAllowed
    if not volunteer.no_smartphone:
        raise ValidationError(
            _("Only for a volunteer without a smartphone: the others accept the rules on the site.")
        )
    locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if locked.safety_protocol_accepted_at is None:
        locked.safety_protocol_accepted_at = timezone.now()
        locked.safety_protocol_read_out_by = actor
        # The staff member is the actor in the audit log; the field says it was read out.
        with audit_actor(actor):
            locked.save(
                update_fields=["safety_protocol_accepted_at", "safety_protocol_read_out_by"]
            )
        logger.info(
            "volunteer %s: safety rules read out by phone by user %s", volunteer.pk, actor.pk
        )
    volunteer.safety_protocol_accepted_at = locked.safety_protocol_accepted_at
    volunteer.safety_protocol_read_out_by_id = locked.safety_protocol_read_out_by_id
    return volunteer


@transaction.atomic
def volunteer_update_availability(
    *,
    volunteer: Volunteer,
    is_available: bool,
    max_open_tasks: int,
    notification_channel: str | None = None,
    show_first_name_on_flyer: bool | None = None,
    languages: str | None = None,
    skills: dict[str, bool] | None = None,
    slots: Iterable[tuple[int, time, time]] | None = None,
    actor=None,
) -> Volunteer:
    """The volunteer says whether they can take tasks now, how many at once, how to reach
    them, whether their first name may be printed on their blocks' entrance flyers, the
    languages they speak, their skills and the weekly times they take offers. None: unchanged.

    Rules: at most the limit the organizers set (max_open_tasks_allowed): a volunteer may
    only lower it for themselves. Languages are codes ("ru, en"). Skills are those of
    SELF_SET_SKILLS. Slots (weekday, start, end) replace the volunteer's weekly slots,
    overlapping ones joined (merge_weekly_slots); none at all means any time. Every change
    is in the audit log (privacy.audit), with who made it. actor: who changed it (an
    organizer in the admin); the volunteer themselves when not given.
    """
    if max_open_tasks > volunteer.max_open_tasks_allowed:
        raise ValidationError(
            {
                "max_open_tasks": _(
                    "At most %(limit)d: the limit your organizers set. Ask them for more."
                )
                % {"limit": volunteer.max_open_tasks_allowed}
            }
        )
    fields = ["is_available", "max_open_tasks"]
    volunteer.is_available = is_available
    volunteer.max_open_tasks = max_open_tasks
    if notification_channel is not None:
        volunteer.notification_channel = notification_channel
        fields.append("notification_channel")
    if show_first_name_on_flyer is not None:
        volunteer.show_first_name_on_flyer = show_first_name_on_flyer
        fields.append("show_first_name_on_flyer")
    if languages is not None:
        volunteer.languages = normalize_languages(languages)
        fields.append("languages")
    for name, value in (skills or {}).items():
        if name not in SELF_SET_SKILLS:
            raise ValidationError({name: _("Not a skill volunteers set themselves.")})
        if (
            value
            and not getattr(volunteer, name)
            and name in SKILLS_ORGANIZERS_CONFIRM
            and not permissions.can_manage_group(actor)
        ):
            raise ValidationError(
                {name: _("Your organizers say who gives consultations: ask them to add you.")}
            )
        setattr(volunteer, name, bool(value))
        fields.append(name)
    volunteer.full_clean(validate_unique=False, validate_constraints=False)
    with audit_actor(actor or volunteer.user):
        volunteer.save(update_fields=fields)
        if slots is not None:
            _set_weekly_slots(volunteer, slots)
    return volunteer


@transaction.atomic
def volunteer_link_telegram(*, user_id: int, chat_id: str) -> Volunteer | None:
    """Store a Telegram chat on a volunteer's profile and make Telegram their channel.

    Rules: only an active user with a volunteer profile; one chat belongs to one volunteer
    (linking it again moves it), so a button press always finds exactly one account. The
    webhook has no signed-in user: the volunteer whose link it was is the actor.
    """
    user = User._default_manager.filter(pk=user_id).first()
    volunteer = permissions.volunteer_profile(user)
    if volunteer is None:
        return None
    with audit_actor(user):
        # One by one, not update(): each profile that loses the chat is audited too.
        for other in Volunteer.objects.filter(telegram_chat_id=chat_id).exclude(pk=volunteer.pk):
            other.telegram_chat_id = ""
            other.save(update_fields=["telegram_chat_id"])
        volunteer.telegram_chat_id = chat_id
        volunteer.notification_channel = NotificationChannel.TELEGRAM
        volunteer.save(update_fields=["telegram_chat_id", "notification_channel"])
    logger.info("telegram linked user=%s", user.pk)
    return volunteer


@transaction.atomic
def volunteer_set_task_limit(*, volunteer: Volunteer, limit: int, actor) -> Volunteer:
    """An organizer sets how many tasks a volunteer of their group may hold at once.

    Rules: 1 to MAX_TASK_LIMIT; the volunteer's own choice is lowered to fit, never raised.
    """
    _require_organizer_of(actor, volunteer)
    if not 1 <= limit <= MAX_TASK_LIMIT:
        raise ValidationError(
            {"max_open_tasks_allowed": _("Between 1 and %(most)d.") % {"most": MAX_TASK_LIMIT}}
        )
    volunteer.max_open_tasks_allowed = limit
    volunteer.max_open_tasks = min(volunteer.max_open_tasks, limit)
    with audit_actor(actor):
        volunteer.save(update_fields=["max_open_tasks_allowed", "max_open_tasks"])
    logger.info("volunteer %s: task limit set to %d by %s", volunteer.pk, limit, actor.pk)
    return volunteer


@transaction.atomic
def volunteer_unlink_telegram(*, chat_id: str) -> int:
    """Forget a chat (the volunteer sent /stop); their offers go by email again.

    The volunteer who sent /stop from their chat is the actor.
    """
    unlinked = 0
    for volunteer in Volunteer.objects.filter(telegram_chat_id=chat_id).select_related("user"):
        volunteer.telegram_chat_id = ""
        volunteer.notification_channel = NotificationChannel.EMAIL
        with audit_actor(volunteer.user):
            volunteer.save(update_fields=["telegram_chat_id", "notification_channel"])
        unlinked += 1
    return unlinked


@transaction.atomic
def volunteer_allow_claims(*, volunteer: Volunteer, actor) -> Volunteer:
    """An organizer lets a volunteer whose claims were stopped take tasks again.

    Give-backs before this moment no longer count; who did it and when is kept.
    """
    _require_organizer_of(actor, volunteer)
    volunteer.claims_blocked_at = None
    volunteer.claims_cleared_at = timezone.now()
    volunteer.claims_cleared_by = actor
    with audit_actor(actor):
        volunteer.save(
            update_fields=["claims_blocked_at", "claims_cleared_at", "claims_cleared_by"]
        )
    logger.info("volunteer %s: claims allowed again by %s", volunteer.pk, actor.pk)
    return volunteer


def new_volunteer_username() -> str:
    """A username that says nothing about the person (it shows in lists and logs)."""
    while True:
        username = f"v-{secrets.token_hex(4)}"
        if not User._default_manager.filter(username=username).exists():
            return username


@transaction.atomic
def volunteer_create_pending(
    *,
    group,
    actor,
    name: str,
    phone: str,
    email: str = "",
    blocks: Iterable[Block] = (),
    reason: str = "",
) -> Volunteer:
    """An account and a volunteer profile waiting for verification, in group (a list of
    volunteers imported from a file, for example); reason goes into the status event.

    Rules: organizers of the group and coordinators of its network; a valid phone number not
    used by another account; blocks of the same group only. The account has no usable password:
    the person sets one through their invite.
    """
    if actor is None or not (
        permissions.can_manage_group(actor) and permissions.can_see(actor, group)
    ):
        raise NotAllowed
    blocks = list(blocks)
    check_blocks_of_own_group(group_id=group.pk, blocks=blocks)
    number = normalize_phone(phone)
    if number is None or not phonenumbers.is_valid_number(parse_phone(phone)):
        raise ValidationError({"phone": _("Enter a valid phone number.")})
    if User._default_manager.filter(phone=number).exists():
        raise ValidationError({"phone": _("This phone number is already used by an account.")})
    user = User(
        username=new_volunteer_username(),
        first_name=name.strip(),
        email=(email or "").strip(),
        phone=number,
        group=group,
        role=Role.VOLUNTEER,
    )
    user.set_unusable_password()
    user.full_clean()
    volunteer = Volunteer(user=user, status=VolunteerStatus.PENDING)
    with audit_actor(actor):
        user.save()
        volunteer.user = user
        volunteer.full_clean(exclude=["user"])
        volunteer.save()
    VolunteerStatusEvent.objects.create(
        volunteer=volunteer,
        actor=actor,
        old_status="",
        new_status=VolunteerStatus.PENDING,
        reason=reason,
    )
    if blocks:
        volunteer_assign_blocks(volunteer=volunteer, blocks=blocks, actor=actor)
    logger.info("volunteer %s created pending in group %s by %s", volunteer.pk, group.pk, actor.pk)
    return volunteer
