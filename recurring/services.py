"""Writes of recurring requests: enter, pause, resume, stop, and make the due occurrences.

Each occurrence becomes a HelpRequest through requests.services.help_request_create (so it
is checked and matched like any other), ahead of its due time by settings.RECURRING_LEAD_HOURS,
once: the unique (recurring, due_at) of RecurringOccurrence makes a repeated or concurrent
run a no-op.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covidarnost import permissions
from neighbors.models import Neighbor
from recurring.models import (
    RecurringChange,
    RecurringOccurrence,
    RecurringRequest,
    RecurringState,
)
from recurring.schedule import first_due, following_due
from requests.exceptions import NotAllowed, RequestError, TransitionNotAllowed
from requests.kinds import offered_kind
from requests.models import Source, Status
from requests.services import help_request_create

logger = logging.getLogger(__name__)

# An occurrence more than this far in the past (beat down, or paused) is skipped, not made:
# a request for groceries two days ago helps nobody.
STALE_AFTER = timedelta(hours=12)


def _lead() -> timedelta:
    return timedelta(hours=settings.RECURRING_LEAD_HOURS)


@transaction.atomic
def recurring_request_create(
    *,
    actor,
    neighbor: Neighbor,
    kind: str,
    details: str,
    weekday: int,
    at: time,
    interval_weeks: int = 1,
    needs: list[str] | None = None,
    now: datetime | None = None,
) -> RecurringRequest:
    """An operator or organizer sets up a request that repeats every N weeks on a weekday.

    Rules: staff of the resident's group; a kind the group offers; 1 to 8 weeks.
    """
    if not (permissions.can_use_intake_desk(actor) and permissions.can_see(actor, neighbor)):
        raise NotAllowed
    if offered_kind(neighbor.block.group_id, kind) is None:
        raise ValidationError({"kind": _("Choose one of the kinds your group offers.")})
    recurring = RecurringRequest(
        neighbor=neighbor,
        block=neighbor.block,
        kind=kind,
        details=details.strip(),
        needs=list(needs or []),
        interval_weeks=interval_weeks,
        weekday=weekday,
        time=at,
        next_due_at=first_due(weekday=weekday, at=at, after=now or timezone.now()),
        created_by=actor,
    )
    recurring.full_clean()
    recurring.save()
    RecurringChange.objects.create(recurring=recurring, actor=actor, action="create")
    logger.info("recurring %s: created by user %s", recurring.pk, actor.pk)
    return recurring


def _change(recurring: RecurringRequest, actor, action: str, allowed_from, **values):
    if not (permissions.can_use_intake_desk(actor) and permissions.can_see(actor, recurring)):
        raise NotAllowed
    with transaction.atomic():
        current = RecurringRequest.objects.select_for_update().get(pk=recurring.pk)
        if current.state not in allowed_from:
            raise TransitionNotAllowed(
                _("Not possible while the recurring request is “%(state)s”.")
                % {"state": current.get_state_display()}
            )
        for name, value in values.items():
            setattr(current, name, value)
        current.save(update_fields=list(values))
        RecurringChange.objects.create(recurring=current, actor=actor, action=action)
    logger.info("recurring %s: %s by user %s", recurring.pk, action, actor.pk)
    recurring.refresh_from_db()
    return recurring


def recurring_request_pause(*, recurring: RecurringRequest, actor) -> RecurringRequest:
    """No new occurrences until resumed (the ones already made stay)."""
    return _change(recurring, actor, "pause", {RecurringState.ACTIVE}, state=RecurringState.PAUSED)


def recurring_request_resume(
    *, recurring: RecurringRequest, actor, now: datetime | None = None
) -> RecurringRequest:
    """Start again from the next due time after now; the missed ones are not made."""
    next_due = first_due(weekday=recurring.weekday, at=recurring.time, after=now or timezone.now())
    return _change(
        recurring,
        actor,
        "resume",
        {RecurringState.PAUSED},
        state=RecurringState.ACTIVE,
        next_due_at=next_due,
    )


def recurring_request_stop(*, recurring: RecurringRequest, actor) -> RecurringRequest:
    """No more occurrences, for good (the ones already made stay)."""
    return _change(
        recurring,
        actor,
        "stop",
        {RecurringState.ACTIVE, RecurringState.PAUSED},
        state=RecurringState.STOPPED,
    )


def _last_volunteer_id(recurring: RecurringRequest):
    """Who delivered the latest occurrence delivered so far."""
    return (
        RecurringOccurrence.objects.filter(
            recurring=recurring, help_request__status=Status.DELIVERED
        )
        .order_by("-due_at")
        .values_list("help_request__volunteer_id", flat=True)
        .first()
    )


def _spawn_one(recurring_id, now: datetime) -> int:
    """Make the due occurrences of one recurring request; how many requests were made."""
    made = 0
    with transaction.atomic():
        recurring = (
            RecurringRequest.objects.select_for_update(of=("self",))
            .select_related("neighbor__block", "block", "created_by")
            .get(pk=recurring_id)
        )
        while recurring.state == RecurringState.ACTIVE and recurring.next_due_at <= now + _lead():
            due = recurring.next_due_at
            last = _last_volunteer_id(recurring)
            if due >= now - STALE_AFTER:
                made += _make_occurrence(recurring, due, last)
            recurring.next_due_at = following_due(
                due, interval_weeks=recurring.interval_weeks, at=recurring.time
            )
            recurring.last_volunteer_id = last
            recurring.save(update_fields=["next_due_at", "last_volunteer"])
    return made


def _make_occurrence(recurring: RecurringRequest, due: datetime, last_volunteer_id) -> int:
    if RecurringOccurrence.objects.filter(recurring=recurring, due_at=due).exists():
        return 0
    try:
        with transaction.atomic():
            help_request, _created = help_request_create(
                created_by=recurring.created_by,
                block=recurring.block,
                neighbor=recurring.neighbor,
                kind=recurring.kind,
                details=recurring.details,
                needs=recurring.needs,
                source=Source.PHONE,
                due_at=due,
            )
            RecurringOccurrence.objects.create(
                recurring=recurring,
                due_at=due,
                help_request=help_request,
                offer_first_to_id=last_volunteer_id,
            )
    except IntegrityError:
        return 0  # another run made it first
    except (RequestError, ValidationError) as exc:
        # The one who entered it left, or the kind is no longer offered: skipped, logged.
        logger.warning("recurring %s: occurrence not made (%s)", recurring.pk, type(exc).__name__)
        return 0
    logger.info("recurring %s: help_request %s for %s", recurring.pk, help_request.pk, due)
    return 1


def recurring_requests_spawn(*, now: datetime | None = None) -> int:
    """Beat: make every occurrence due within the lead time; returns how many were made."""
    now = now or timezone.now()
    due = RecurringRequest.objects.filter(
        state=RecurringState.ACTIVE, next_due_at__lte=now + _lead()
    ).values_list("pk", flat=True)
    return sum(_spawn_one(pk, now) for pk in list(due))
