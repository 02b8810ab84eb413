"""Writes for help requests: creation and every status change.

Each change goes through the table in requests.transitions, locks the row, re-checks the status
with a conditional UPDATE (so two volunteers can never both hold one request, on PostgreSQL or
SQLite), writes a RequestEvent, and announces itself with help_request_changed after commit.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covidarnost import permissions
from neighbors.models import Block, Neighbor
from neighbors.services import neighbor_create
from requests.code_words import new_code_word
from requests.enqueue import enqueue_claims_stopped_alert
from requests.exceptions import (
    AlreadyTaken,
    AlreadyYours,
    ClaimsStopped,
    NotAllowed,
    SafetyProtocolNotAccepted,
    TransitionNotAllowed,
    VolunteerCannotClaim,
)
from requests.kinds import kind_of, offered_kind
from requests.list_cache import task_lists_changed
from requests.models import (
    IN_HAND,
    HelpRequest,
    PaidBy,
    Payment,
    RequestEvent,
    RequestKind,
    Source,
    Status,
)
from requests.receipts import receipt_reencode
from requests.signals import help_request_changed
from requests.transitions import TRANSITIONS, Action
from volunteers.models import Volunteer

logger = logging.getLogger(__name__)


def _announce(help_request_id, action: str, actor_id) -> None:
    transaction.on_commit(
        lambda: help_request_changed.send(
            sender=HelpRequest, help_request_id=help_request_id, action=action, actor_id=actor_id
        )
    )


def _apply(
    help_request: HelpRequest,
    action: str,
    *,
    actor,
    note: str = "",
    holder: Volunteer | None = None,
    changes: dict[str, Any] | None = None,
    on_behalf_of=None,
) -> HelpRequest:
    """Move the request along TRANSITIONS[action] or raise; never saves half a change.

    holder: when given, the request must be held by this volunteer (release, deliver …).
    on_behalf_of: the volunteer's user when an organizer or operator (actor) acts for them.
    """
    rule = TRANSITIONS[action]
    with transaction.atomic():
        current = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        if holder is not None and current.volunteer_id != holder.pk:
            raise NotAllowed(_("You do not hold this task."))
        if current.status not in rule.sources:
            if action == Action.CLAIM and current.volunteer_id is not None:
                raise AlreadyTaken
            raise TransitionNotAllowed(
                _("Cannot do “%(action)s” while the request is “%(status)s”.")
                % {"action": Action(action).label, "status": current.get_status_display()}
            )
        values = {"status": rule.target, **(changes or {})}
        # The conditional UPDATE is what makes a concurrent second claim lose even where
        # SELECT … FOR UPDATE is a no-op (SQLite).
        updated = HelpRequest.objects.filter(pk=current.pk, status=current.status).update(**values)
        if updated != 1:
            raise AlreadyTaken if action == Action.CLAIM else TransitionNotAllowed
        # An UPDATE sends no post_save: tell the cached task lists here.
        task_lists_changed(group_id=current.block.group_id)
        RequestEvent.objects.create(
            help_request=current,
            actor=actor,
            action=action,
            from_status=current.status,
            to_status=rule.target,
            note=note,
            on_behalf_of=on_behalf_of,
        )
        _announce(current.pk, action, getattr(actor, "pk", None))
    logger.info("help_request %s: %s", current.pk, action)
    help_request.refresh_from_db()
    return help_request


# A due date more than a year from now is a typo (2062 for 2026), whoever enters it; it also
# keeps every date the API answers with in RFC 3339 (before 1920 Moscow's offset had seconds).
DUE_AT_WINDOW = timedelta(days=366)


def check_due_at(due_at) -> None:
    """Refuse a due date more than DUE_AT_WINDOW before or after now (the one rule)."""
    if due_at is not None and abs(due_at - timezone.now()) > DUE_AT_WINDOW:
        raise ValidationError({"due_at": _("Give a date at most a year from now.")})


@transaction.atomic
def help_request_create(
    *,
    created_by,
    block: Block,
    kind: str,
    details: str,
    source: str,
    neighbor: Neighbor | None = None,
    neighbor_data: dict[str, Any] | None = None,
    budget: Decimal | None = None,
    payment: str = "",
    urgency: str = "",
    due_at=None,
    form_serial: str = "",
    idempotency_key: str | None = None,
    needs: list[str] | None = None,
) -> tuple[HelpRequest, bool]:
    """Enter a request for a resident; returns (request, created).

    Rules: the helper may create requests and sees the block; the kind is one the block's
    group offers now (requests.kinds); the neighbor lives in the group of the block (an
    existing one, or a new one from neighbor_data); a volunteer names an existing neighbor
    only while holding their task (permissions.can_file_request_for); a repeated idempotency
    key from the same helper returns the first request instead of a copy.
    """
    if not permissions.can_create_request(created_by):
        raise NotAllowed
    if not permissions.can_see(created_by, block):
        raise NotAllowed(_("This block belongs to another group."))
    if idempotency_key:
        # Retries with one key run one at a time (a lock on the helper's row): a second one
        # waits, then finds the first's request, instead of both creating a resident before
        # the key's unique constraint stops one of the requests.
        get_user_model()._default_manager.select_for_update().filter(pk=created_by.pk).first()
        existing = HelpRequest.objects.filter(
            created_by=created_by, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing, False
    if offered_kind(block.group_id, kind) is None:
        raise ValidationError({"kind": _("Choose one of the kinds your group offers.")})
    check_due_at(due_at)
    if neighbor is None:
        if not neighbor_data:
            raise ValidationError({"neighbor": _("Say who the request is for.")})
        neighbor = neighbor_create(actor=created_by, block=block, **neighbor_data)
    elif neighbor.block.group_id != block.group_id:
        raise NotAllowed(_("This neighbor belongs to another group."))
    elif not permissions.can_file_request_for(created_by, neighbor):
        raise NotAllowed(
            _("Volunteers may enter requests only for new residents or ones whose task they hold.")
        )

    help_request = HelpRequest(
        neighbor=neighbor,
        block=block,
        kind=kind,
        details=details.strip(),
        source=source or Source.WEB,
        budget=budget,
        due_at=due_at,
        form_serial=form_serial.strip(),
        needs=list(needs or []),
        created_by=created_by,
        idempotency_key=idempotency_key or None,
        code_word=new_code_word(),
        status=Status.OPEN,
    )
    if payment:
        help_request.payment = payment
    if urgency:
        help_request.urgency = urgency
    help_request.full_clean(exclude=["idempotency_key"])
    try:
        with transaction.atomic():
            help_request.save()
    except IntegrityError:
        # A concurrent retry with the same key won the race: return its request.
        if idempotency_key:
            return HelpRequest.objects.get(
                created_by=created_by, idempotency_key=idempotency_key
            ), False
        raise
    RequestEvent.objects.create(
        help_request=help_request,
        actor=created_by,
        action=Action.CREATE,
        to_status=Status.OPEN,
    )
    _announce(help_request.pk, Action.CREATE, created_by.pk)
    logger.info("help_request %s: created from %s", help_request.pk, help_request.source)
    return help_request, True


def _check_can_claim(volunteer: Volunteer, help_request: HelpRequest) -> None:
    if not volunteer.is_active_volunteer or volunteer.group_id != help_request.block.group_id:
        raise NotAllowed
    if volunteer.safety_protocol_accepted_at is None:
        raise SafetyProtocolNotAccepted
    kind = kind_of(help_request)
    if kind is not None and not permissions.volunteer_may_take(volunteer, kind.skill):
        raise NotAllowed(_("Only volunteers who give this consultation can take it."))
    if volunteer.claims_blocked_at is not None:
        raise ClaimsStopped
    in_hand = volunteer.help_requests.filter(status__in=IN_HAND).count()
    if in_hand >= min(volunteer.max_open_tasks, volunteer.max_open_tasks_allowed):
        raise VolunteerCannotClaim(
            _("You already hold %(count)d tasks, your limit. Deliver or release one first.")
            % {"count": in_hand}
        )


def _acting(
    help_request: HelpRequest, volunteer: Volunteer, acting_user, *, allowed: bool = False
) -> tuple:
    """(actor, on_behalf_of) of an event: the volunteer themself, or an organizer or operator
    of the group acting for a volunteer of the group (one without a smartphone, mostly).

    allowed: the caller has already checked a rule of its own for acting_user
    (help_request_take_back: permissions.can_take_back)."""
    if acting_user is None:
        return volunteer.user, None
    if not allowed and not permissions.can_act_for_volunteer(acting_user, help_request, volunteer):
        raise NotAllowed
    return acting_user, volunteer.user


def help_request_claim(
    *, help_request: HelpRequest, volunteer: Volunteer, acting_user=None
) -> HelpRequest:
    """A verified volunteer of the group takes an open request (or is given it by staff).

    Rules: safety protocol accepted, claims not stopped (ClaimsStopped), under their limit of
    tasks held (theirs, at most the organizers'), request still open. Of two
    volunteers claiming at once exactly one wins; the other gets AlreadyTaken. Claiming a
    task one already holds changes nothing and raises AlreadyYours, checked first, so a
    repeated tap gets that answer, not "your limit" (web and API alike). acting_user: an
    organizer or operator giving the request to this volunteer, recorded on the event.
    """
    actor, on_behalf_of = _acting(help_request, volunteer, acting_user)
    with transaction.atomic():
        # Serialises one volunteer's concurrent claims so the task limit holds.
        locked = Volunteer.objects.select_for_update().select_related("user").get(pk=volunteer.pk)
        held = HelpRequest.objects.filter(pk=help_request.pk, volunteer=locked, status__in=IN_HAND)
        if held.exists():
            raise AlreadyYours
        _check_can_claim(locked, help_request)
        return _apply(
            help_request,
            Action.CLAIM,
            actor=actor,
            on_behalf_of=on_behalf_of,
            changes={"volunteer": volunteer, "claimed_at": timezone.now()},
        )


# More than this many tasks given back (released or "could not deliver") within the window
# stops a volunteer's claims: each claim shows a resident's name, flat, phone and code word.
GIVE_BACKS_ALLOWED = 3
GIVE_BACK_WINDOW = timedelta(hours=24)


def _count_give_back(volunteer: Volunteer, help_request: HelpRequest) -> None:
    """After a release or "could not deliver": stop claims when the volunteer gave back more
    than GIVE_BACKS_ALLOWED tasks in GIVE_BACK_WINDOW (counting from an organizer's last
    clearing), and alert the organizers once. Runs in the caller's transaction."""
    now = timezone.now()
    since = now - GIVE_BACK_WINDOW
    locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if locked.claims_blocked_at is not None:
        return
    if locked.claims_cleared_at is not None and locked.claims_cleared_at > since:
        since = locked.claims_cleared_at
    given_back = RequestEvent.objects.filter(
        actor_id=locked.user_id,
        action__in=(Action.RELEASE, Action.UNDELIVERABLE),
        created_at__gte=since,
    ).count()
    if given_back <= GIVE_BACKS_ALLOWED:
        return
    # save(), not update(): the stop is a change of the volunteer, audited (privacy.audit).
    locked.claims_blocked_at = now
    locked.save(update_fields=["claims_blocked_at"])
    volunteer.claims_blocked_at = now
    logger.warning("volunteer %s: claims stopped after %d give-backs", locked.pk, given_back)
    volunteer_id, help_request_id = str(locked.pk), str(help_request.pk)
    transaction.on_commit(lambda: enqueue_claims_stopped_alert(volunteer_id, help_request_id))


def _give_back(
    help_request: HelpRequest,
    action: str,
    *,
    volunteer: Volunteer,
    note: str,
    acting_user=None,
    allowed: bool = False,
) -> HelpRequest:
    """Back to open with a new code word, recorded as its own event (the word is not in it);
    counts against the volunteer's give-backs (_count_give_back)."""
    actor, on_behalf_of = _acting(help_request, volunteer, acting_user, allowed=allowed)
    with transaction.atomic():
        help_request = _apply(
            help_request,
            action,
            actor=actor,
            on_behalf_of=on_behalf_of,
            holder=volunteer,
            note=note,
            changes={
                "volunteer": None,
                "claimed_at": None,
                "bought_at": None,
                "code_word": new_code_word(),
            },
        )
        RequestEvent.objects.create(
            help_request=help_request,
            actor=actor,
            on_behalf_of=on_behalf_of,
            action=Action.NEW_CODE_WORD,
            from_status=Status.OPEN,
            to_status=Status.OPEN,
        )
        _count_give_back(volunteer, help_request)
    return help_request


def help_request_take_back(*, help_request: HelpRequest, actor, reason: str) -> HelpRequest:
    """An organizer returns a task a volunteer holds to the open list, saying why (the
    volunteer was removed, or cannot be reached). Recorded as a release by the organizer.

    Rules: permissions.can_take_back (organizers of the group; a coordinator of its network,
    who removes a volunteer of one of their groups, and sees no resident's data doing it).
    """
    if not permissions.can_take_back(actor, help_request):
        raise NotAllowed
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the task goes back to the open list.")})
    if help_request.volunteer is None:
        raise TransitionNotAllowed(_("Nobody holds this request."))
    return _give_back(
        help_request,
        Action.RELEASE,
        volunteer=help_request.volunteer,
        note=reason.strip(),
        acting_user=actor,
        allowed=True,
    )


def help_request_release(
    *, help_request: HelpRequest, volunteer: Volunteer, reason: str, acting_user=None
) -> HelpRequest:
    """The holding volunteer gives a task back to the open list, saying why.

    Rules: a reason is given; the request gets a new code word (the resident is told it);
    more than GIVE_BACKS_ALLOWED give-backs in a day stop the volunteer's claims until an
    organizer allows them again.
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you release the task.")})
    return _give_back(
        help_request,
        Action.RELEASE,
        volunteer=volunteer,
        note=reason.strip(),
        acting_user=acting_user,
    )


def help_request_mark_bought(
    *, help_request: HelpRequest, volunteer: Volunteer, acting_user=None
) -> HelpRequest:
    """The holding volunteer has bought what was asked and is on the way."""
    actor, on_behalf_of = _acting(help_request, volunteer, acting_user)
    return _apply(
        help_request,
        Action.MARK_BOUGHT,
        actor=actor,
        on_behalf_of=on_behalf_of,
        holder=volunteer,
        changes={"bought_at": timezone.now()},
    )


PAID_BY_FOR_PAYMENT = {
    Payment.CASH_ON_DELIVERY: PaidBy.RESIDENT_CASH,
    Payment.PREPAID: PaidBy.GROUP_FUND,
    Payment.FREE: PaidBy.VOLUNTEER,
}


def help_request_deliver(
    *,
    help_request: HelpRequest,
    volunteer: Volunteer,
    spent: Decimal | None = None,
    paid_by: str = "",
    note: str = "",
    receipt: UploadedFile | None = None,
    acting_user=None,
) -> HelpRequest:
    """The holding volunteer handed the errand over; records money spent and who paid.

    Rules: spent is not negative; when money was spent and the volunteer did not say who
    paid, the request's payment arrangement decides (a free errand is reimbursed to the
    volunteer, so their money is never silently lost); a receipt photo is stored
    re-encoded, without its metadata.
    """
    if spent is not None and spent < 0:
        raise ValidationError({"spent": _("The amount cannot be negative.")})
    if spent and not paid_by:
        paid_by = PAID_BY_FOR_PAYMENT[help_request.payment]
    if paid_by and paid_by not in PaidBy.values:
        raise ValidationError({"paid_by": _("Unknown way of paying.")})
    actor, on_behalf_of = _acting(help_request, volunteer, acting_user)
    # Only the pixels are stored: EXIF (phone model, GPS) and all other metadata go. Done
    # before the transaction, so a photo Pillow cannot read changes nothing.
    clean_receipt = receipt_reencode(receipt) if receipt is not None else None
    with transaction.atomic():
        delivered = _apply(
            help_request,
            Action.DELIVER,
            actor=actor,
            on_behalf_of=on_behalf_of,
            holder=volunteer,
            note=note.strip(),
            changes={"delivered_at": timezone.now(), "spent": spent, "paid_by": paid_by},
        )
        if clean_receipt is not None:
            delivered.receipt.save(clean_receipt.name, clean_receipt, save=False)
            delivered.save(update_fields=["receipt"])
    return delivered


def help_request_report_undeliverable(
    *, help_request: HelpRequest, volunteer: Volunteer, reason: str, acting_user=None
) -> HelpRequest:
    """The holding volunteer could not deliver; the task returns to open, organizers are told.

    Rules: a reason is given; the request gets a new code word (the resident is told it);
    counts as a give-back, like a release.
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Say what went wrong.")})
    return _give_back(
        help_request,
        Action.UNDELIVERABLE,
        volunteer=volunteer,
        note=reason.strip(),
        acting_user=acting_user,
    )


def help_request_cancel(*, help_request: HelpRequest, actor, reason: str = "") -> HelpRequest:
    """Organizers and operators of the group cancel a request that is not delivered."""
    if not (permissions.is_staff_of_group(actor) and permissions.can_see(actor, help_request)):
        raise NotAllowed
    return _apply(
        help_request,
        Action.CANCEL,
        actor=actor,
        note=reason.strip(),
        changes={"volunteer": None, "cancelled_at": timezone.now()},
    )


def help_request_reopen(*, help_request: HelpRequest, actor, reason: str = "") -> HelpRequest:
    """Organizers and operators bring a cancelled request back to the open list."""
    if not (permissions.is_staff_of_group(actor) and permissions.can_see(actor, help_request)):
        raise NotAllowed
    return _apply(
        help_request,
        Action.REOPEN,
        actor=actor,
        note=reason.strip(),
        changes={"cancelled_at": None},
    )


@transaction.atomic
def help_request_mark_reimbursed(*, help_request: HelpRequest, actor) -> HelpRequest:
    """An organizer paid a volunteer back for a purchase made with their own money.

    Rules: organizers of the group; delivered, paid by the volunteer, not reimbursed yet.
    Leaves a "reimburse" event with who did it."""
    if not (permissions.can_manage_group(actor) and permissions.can_see(actor, help_request)):
        raise NotAllowed
    updated = HelpRequest.objects.filter(
        pk=help_request.pk,
        status=Status.DELIVERED,
        paid_by=PaidBy.VOLUNTEER,
        reimbursed_at__isnull=True,
    ).update(reimbursed_at=timezone.now(), reimbursed_by=actor)
    if updated != 1:
        raise TransitionNotAllowed(_("Nothing to reimburse for this request."))
    RequestEvent.objects.create(
        help_request_id=help_request.pk,
        actor=actor,
        action=Action.REIMBURSE,
        from_status=Status.DELIVERED,
        to_status=Status.DELIVERED,
    )
    help_request.refresh_from_db()
    return help_request


# Fields organizers and operators may still correct after the request was entered; status,
# volunteer and the delivery report change only through the actions above.
CORRECTABLE_FIELDS = ("details", "due_at", "urgency", "budget", "payment")


def _shown(help_request: HelpRequest, name: str) -> str:
    value = getattr(help_request, name)
    if value is None or value == "":
        return "—"
    if name == "due_at":
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    display = getattr(help_request, f"get_{name}_display", None)
    return str(display()) if display else str(value)


def help_request_update(
    *, help_request: HelpRequest, actor, changes: dict[str, Any]
) -> HelpRequest:
    """Staff of the group correct a request (CORRECTABLE_FIELDS only).

    Rules: organizers and operators of the group (a consultation's notes: only who may read
    them, permissions.can_see_request_notes); other fields are refused; the values are
    validated like the model's; only the changed fields are written (a volunteer's status
    change made meanwhile is kept), and an "update" event records who changed what (the old
    and new value; for the free text only that it changed). No change, no event.
    """
    if not (permissions.is_staff_of_group(actor) and permissions.can_see(actor, help_request)):
        raise NotAllowed
    if "details" in changes and not permissions.can_see_request_notes(actor, help_request):
        raise NotAllowed
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be corrected here.") for name in sorted(unknown)}
        )
    with transaction.atomic():
        current = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        before = {name: getattr(current, name) for name in changes}
        changed = [name for name, value in changes.items() if before[name] != value]
        if not changed:
            return help_request
        described_before = {name: _shown(current, name) for name in changed}
        for name in changed:
            setattr(current, name, changes[name])
        excluded = [f.name for f in HelpRequest._meta.fields if f.name not in changed]
        current.full_clean(exclude=excluded, validate_constraints=False)
        HelpRequest.objects.filter(pk=current.pk).update(
            **{name: getattr(current, name) for name in changed}
        )
        lines = []
        for name in changed:
            label = HelpRequest._meta.get_field(name).verbose_name
            if name == "details":
                lines.append(str(label))
            else:
                lines.append(f"{label}: {described_before[name]} → {_shown(current, name)}")
        RequestEvent.objects.create(
            help_request=current,
            actor=actor,
            action=Action.UPDATE,
            from_status=current.status,
            to_status=current.status,
            note="; ".join(lines),
        )
    logger.info("help_request %s: corrected %s", current.pk, ",".join(changed))
    help_request.refresh_from_db()
    return help_request


@transaction.atomic
def request_kind_save(*, kind: RequestKind, actor) -> RequestKind:
    """Add or change a kind of request.

    Rules: organizers change their own group's kinds, network coordinators those of their
    network's groups; built-ins (no group) only the site's administrators; a kind's slug is
    never changed once saved (requests store it).
    """
    if not permissions.can_change_request_kind(actor, kind):
        raise NotAllowed(_("You can change only your own group's kinds."))
    if kind.pk is not None:
        saved_slug = RequestKind.objects.filter(pk=kind.pk).values_list("slug", flat=True).first()
        if saved_slug is not None and saved_slug != kind.slug:
            raise ValidationError({"slug": _("The short name cannot change: requests use it.")})
    kind.full_clean()
    kind.save()
    logger.info("request_kind %s saved by user %s", kind.pk, getattr(actor, "pk", None))
    return kind
