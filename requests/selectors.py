"""Reads of help requests shared by the volunteer pages, the API and the admin."""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from covidarnost import permissions
from covidarnost.geo import distance_expression
from neighbors.models import Group
from requests.kinds import kinds_for_group
from requests.models import IN_HAND, HelpRequest, PaidBy, RequestEvent, Status, Urgency
from volunteers.models import Volunteer

# Ordering buckets of the task list.
MINE, MY_BLOCKS, GROUP = 0, 1, 2


def volunteer_base_point(volunteer: Volunteer) -> tuple[float, float] | None:
    """Where distances are measured from: the base location, else the first block."""
    if volunteer.base_latitude is not None and volunteer.base_longitude is not None:
        return volunteer.base_latitude, volunteer.base_longitude
    first = volunteer.blocks.order_by("code").values_list("latitude", "longitude").first()
    return first


class TaskKinds(NamedTuple):
    choices: list[tuple[str, str]]  # what the volunteer may filter their list by
    hidden: list[str]  # consultation kinds they may not see (for tasks_for_volunteer)
    confidential: frozenset[str]  # kinds whose notes only the consultant holding it reads


def task_kinds(*, volunteer: Volunteer) -> TaskKinds:
    """The kinds of the volunteer's group as their task list needs them; one query."""
    kinds = list(kinds_for_group(volunteer.group_id, active_only=False))
    hidden = permissions.kinds_hidden_from(volunteer, kinds)
    return TaskKinds(
        choices=[(k.slug, k.label) for k in kinds if k.is_active and k.slug not in hidden],
        hidden=hidden,
        confidential=frozenset(k.slug for k in kinds if k.is_consultation),
    )


def tasks_for_volunteer(
    *, volunteer: Volunteer, kind: str | None = None, hidden_kinds: list[str] | None = None
) -> QuerySet[HelpRequest]:
    """The volunteer's task list: tasks I hold, then open tasks of my blocks, then the group's
    open tasks nearest first. Annotated with `bucket` and `distance_m` (None without a base).

    Rules: only the volunteer's group; consultations only for volunteers who give them
    (permissions.kinds_hidden_from); open tasks of others are listed without personal data
    (callers must use permissions.can_see_personal_details before showing any).
    """
    my_block_ids = list(volunteer.blocks.values_list("pk", flat=True))
    if hidden_kinds is None:
        hidden_kinds = permissions.kinds_hidden_from(volunteer)
    queryset = (
        HelpRequest.objects.filter(block__group_id=volunteer.group_id)
        .filter(Q(status=Status.OPEN) | Q(status__in=IN_HAND, volunteer=volunteer))
        .select_related("block")
        .annotate(
            bucket=Case(
                When(volunteer=volunteer, then=Value(MINE)),
                When(block_id__in=my_block_ids, then=Value(MY_BLOCKS)),
                default=Value(GROUP),
                output_field=IntegerField(),
            )
        )
    )
    if hidden_kinds:
        # Only open ones: a task the volunteer holds stays on their list whatever its kind.
        queryset = queryset.exclude(kind__in=hidden_kinds, status=Status.OPEN)
    if kind:
        queryset = queryset.filter(kind=kind)
    base = volunteer_base_point(volunteer)
    if base is None:
        return queryset.annotate(distance_m=Value(None)).order_by("bucket", "due_at", "created_at")
    queryset = queryset.annotate(
        distance_m=distance_expression(*base, "block__latitude", "block__longitude")
    )
    return queryset.order_by("bucket", "distance_m", "created_at")


def tasks_held_by(*, volunteer: Volunteer, pks) -> QuerySet[HelpRequest]:
    """The tasks among pks that the volunteer holds now (claimed or bought), with what a
    cached task list lacks: the private fields (requests.api.serializers.TaskPrivateOutput)
    and what decides whether they are shown (permissions.can_see_personal_details, and the
    kind for a consultation's notes). Nothing more is read: the cached row has the rest.

    The same rows as tasks_for_volunteer's first bucket: a held task stays whatever its kind.
    """
    return (
        HelpRequest.objects.filter(
            pk__in=pks,
            volunteer=volunteer,
            status__in=IN_HAND,
            block__group_id=volunteer.group_id,
        )
        .select_related("neighbor")
        .only(*HELD_TASK_FIELDS)
    )


# TaskPrivateOutput's fields and the visibility rule's: a field missing here would be read
# with one more query per task (tests/api/test_tasks_list_cache.py counts them).
HELD_TASK_FIELDS = (
    "id",
    "status",
    "kind",
    "volunteer_id",
    "delivered_at",
    "details",
    "code_word",
    *(
        f"neighbor__{name}"
        for name in ("id", "name", "flat", "entrance", "floor", "phone", "notes")
    ),
)


# --- Overdue: the one rule ----------------------------------------------------------------
#
# The admin's "overdue" column and filter, the beat reminders and the organizers' dashboard all
# decide with the functions below; nothing else may re-code it.

NOT_FINISHED = frozenset({Status.OPEN}) | IN_HAND


def with_opened_at(queryset: QuerySet[HelpRequest]) -> QuerySet[HelpRequest]:
    """Annotate `opened_at`: when the request last became open (its latest event into
    "open": created, released, could not deliver, reopened), else its creation time."""
    if "opened_at" in queryset.query.annotations:
        return queryset
    last_opened = (
        RequestEvent.objects.filter(help_request_id=OuterRef("pk"), to_status=Status.OPEN)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return queryset.annotate(opened_at=Coalesce(Subquery(last_opened), F("created_at")))


def default_due_after_claim(urgency: str) -> timedelta:
    """How long a volunteer has to deliver a claimed request that has no due date of its own
    (settings.MATCHING["DEFAULT_DUE_HOURS"]: 24 h, urgent 4 h)."""
    hours = settings.MATCHING["DEFAULT_DUE_HOURS"]
    return timedelta(hours=hours.get(urgency, hours[Urgency.NORMAL]))


def _sla(group, urgency: str) -> timedelta:
    minutes = group.urgent_sla_minutes if urgency == Urgency.URGENT else group.sla_minutes
    return timedelta(minutes=minutes)


def overdue_at(help_request: HelpRequest, *, opened_at=None):
    """When the request is (or will be) overdue; None once it is delivered or cancelled.

    The rule, one place for the admin, the reminders and the dashboard:
    - in hand (claimed, bought): at its due date, or, without one, the default time after the
      claim (default_due_after_claim). The volunteer is reminded then.
    - open: when it has waited its group's time to claim (urgent: the shorter one) since it
      last became open, or at its due date if that comes first. A released request starts a
      new wait: counting from creation would flag it the moment a volunteer gives it back
      and say nothing about how long it has really been waiting.

    Why this version and not the admin's old one (from creation, due dates only): it is the one
    the organizers are alerted by, so the list they open from an alert shows the same requests.
    opened_at: as annotated by with_opened_at; looked up when not given (one query).
    """
    if help_request.status in IN_HAND:
        if help_request.due_at is not None or help_request.claimed_at is None:
            return help_request.due_at
        return help_request.claimed_at + default_due_after_claim(help_request.urgency)
    if help_request.status != Status.OPEN:
        return None
    if opened_at is None:
        opened_at = getattr(help_request, "opened_at", None)
    if opened_at is None:
        opened_at = with_opened_at(HelpRequest.objects.filter(pk=help_request.pk)).values_list(
            "opened_at", flat=True
        )[0]
    deadline = opened_at + _sla(help_request.block.group, help_request.urgency)
    if help_request.due_at is not None:
        return min(deadline, help_request.due_at)
    return deadline


def is_overdue(help_request: HelpRequest, *, now=None) -> bool:
    """The overdue rule (overdue_at) for one request: its block's group loaded, and
    `opened_at` annotated by with_opened_at to spare a query per row."""
    deadline = overdue_at(help_request)
    return deadline is not None and deadline <= (now or timezone.now())


def times_to_claim() -> list[tuple[int, int]]:
    """The distinct (sla_minutes, urgent_sla_minutes) of the groups, for overdue_requests."""
    return list(
        Group.objects.values_list("sla_minutes", "urgent_sla_minutes").distinct().order_by()
    )


def overdue_requests(
    queryset: QuerySet[HelpRequest] | None = None, *, now=None, slas: list | None = None
):
    """The requests of queryset that are overdue now: overdue_at's rule as one SQL filter.

    Returns the queryset annotated with `opened_at` (so is_overdue on its rows needs no query).
    Reads the distinct times to claim of the groups (one small query), because the database
    cannot add minutes to a date the same way on SQLite and PostgreSQL; a caller filtering
    several times in one page passes them once as `slas` (times_to_claim()).
    """
    now = now or timezone.now()
    queryset = with_opened_at(HelpRequest.objects.all() if queryset is None else queryset)
    urgent = Q(urgency=Urgency.URGENT)
    in_hand_late = Q(status__in=IN_HAND) & (
        Q(due_at__lte=now)
        | Q(due_at__isnull=True)
        & (
            urgent & Q(claimed_at__lte=now - default_due_after_claim(Urgency.URGENT))
            | ~urgent & Q(claimed_at__lte=now - default_due_after_claim(Urgency.NORMAL))
        )
    )
    waited = Q(pk__in=[])
    for sla, urgent_sla in times_to_claim() if slas is None else slas:
        waited |= Q(block__group__sla_minutes=sla, block__group__urgent_sla_minutes=urgent_sla) & (
            urgent & Q(opened_at__lte=now - timedelta(minutes=urgent_sla))
            | ~urgent & Q(opened_at__lte=now - timedelta(minutes=sla))
        )
    open_late = Q(status=Status.OPEN) & (Q(due_at__lte=now) | waited)
    return queryset.filter(in_hand_late | open_late)


def reimbursement_owed_q() -> Q:
    """Purchases volunteers paid for themselves and were not paid back yet."""
    return Q(status=Status.DELIVERED, paid_by=PaidBy.VOLUNTEER, reimbursed_at__isnull=True)
