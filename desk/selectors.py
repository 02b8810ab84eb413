"""Reads for the organizer's desk: today's work, figures and coverage of one or more groups.

Every function takes the groups in view (already scoped by covidarnost.permissions) and answers
for all of them in a fixed number of queries, so a coordinator's page of twenty groups costs
the same as an organizer's page of one. Nothing here reads a resident's personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.utils import timezone

from intake.selectors import pending_callbacks
from neighbors.models import Block, Group
from neighbors.selectors import isolated_neighbors_due
from onboarding.models import PasswordHelpRequest
from requests.models import IN_HAND, HelpRequest, RequestEvent, Status
from requests.selectors import (
    NOT_FINISHED,
    overdue_requests,
    reimbursement_owed_q,
    times_to_claim,
)
from requests.transitions import TRANSITIONS, Action
from volunteers.models import Volunteer, VolunteerStatus

# A verified volunteer with no recorded action for this long is listed as inactive.
INACTIVE_AFTER_DAYS = 14
# Lines of each "today" list shown on the page; the rest is a link to the full admin list.
LINES_SHOWN = 25


@dataclass
class GroupFigures:
    """The counts and sums the desk shows for one group."""

    group: Group
    open: int = 0
    in_hand: int = 0
    delivered_today: int = 0
    delivered_week: int = 0
    unclaimed_overdue: int = 0
    held_overdue: int = 0
    undeliverable: int = 0
    callbacks: int = 0
    pending_volunteers: int = 0
    uncovered_blocks: int = 0
    inactive_volunteers: int = 0
    isolated_due: int = 0
    owed_total: Decimal = Decimal("0")
    owed_count: int = 0
    blocks: int = 0
    volunteers: int = 0

    @property
    def needs_attention(self) -> int:
        return (
            self.unclaimed_overdue
            + self.held_overdue
            + self.undeliverable
            + self.callbacks
            + self.pending_volunteers
        )


@dataclass
class TodaysWork:
    """The lines an organizer acts on first, each list capped at LINES_SHOWN."""

    unclaimed_overdue: list[HelpRequest] = field(default_factory=list)
    held_overdue: list[HelpRequest] = field(default_factory=list)
    undeliverable: list[HelpRequest] = field(default_factory=list)
    callbacks: list = field(default_factory=list)
    pending_volunteers: list[Volunteer] = field(default_factory=list)
    # Members who asked for a new password ("forgot password") and have no link yet.
    password_requests: int = 0


def day_and_week_start(now: datetime) -> tuple[datetime, datetime]:
    """Local midnight today and on this week's Monday, in the site's time zone."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return today, today - timedelta(days=today.weekday())


def _last_action_subquery():
    """The action of a request's latest status change: "undeliverable" marks a failed delivery.

    Other events (a new code word after a give-back) are not changes of status and are skipped.
    """
    latest = RequestEvent.objects.filter(
        help_request=OuterRef("pk"), action__in=[Action.CREATE, *TRANSITIONS]
    ).order_by("-created_at", "-id")
    return Subquery(latest.values("action")[:1])


def _undeliverable(group_ids) -> QuerySet[HelpRequest]:
    """Open requests whose last step was a volunteer reporting they could not deliver."""
    return (
        HelpRequest.objects.filter(block__group_id__in=group_ids, status=Status.OPEN)
        .annotate(last_action=_last_action_subquery())
        .filter(last_action=Action.UNDELIVERABLE)
    )


def _inactive_volunteers(group_ids, now) -> QuerySet[Volunteer]:
    """Verified volunteers with no recorded request action (and no verification) in 14 days."""
    cutoff = now - timedelta(days=INACTIVE_AFTER_DAYS)
    # Exists on (actor, recent) rather than "latest event per actor": PostgreSQL walks the
    # created_at index backwards for the latter and took seconds with a year of history.
    recent = RequestEvent.objects.filter(actor_id=OuterRef("user_id"), created_at__gte=cutoff)
    return Volunteer.objects.filter(
        user__group_id__in=group_ids, user__is_active=True, status=VolunteerStatus.VERIFIED
    ).filter(~Exists(recent), Q(verified_at__lt=cutoff) | Q(verified_at__isnull=True))


def _with_last_action(volunteers: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    """Annotate last_action_at: the time of the volunteer's latest request event."""
    latest = (
        RequestEvent.objects.filter(actor_id=OuterRef("user_id"))
        .values("actor_id")
        .annotate(latest=Max("created_at"))
        .values("latest")
    )
    return volunteers.annotate(last_action_at=Subquery(latest))


def _uncovered_blocks(group_ids) -> QuerySet[Block]:
    """Blocks with no verified, active volunteer: paused and removed ones leave a gap."""
    covering = Volunteer.objects.filter(
        blocks=OuterRef("pk"), status=VolunteerStatus.VERIFIED, user__is_active=True
    )
    return Block.objects.filter(group_id__in=group_ids).exclude(Exists(covering))


def group_figures(
    *, groups: list[Group], now: datetime | None = None, slas: list | None = None
) -> list[GroupFigures]:
    """Figures of each group, in the order given. Four queries whatever the number of groups.

    "Overdue" is requests.selectors.overdue_requests: the rule the admin and reminders use.
    """
    now = now or timezone.now()
    today, week = day_and_week_start(now)
    ids = [g.pk for g in groups]
    figures = {g.pk: GroupFigures(group=g) for g in groups}
    # Only rows that can count: unfinished, delivered this week, or still owed money. Each arm
    # has its index (requests.models: hr_status_block_created, hr_delivered_block,
    # hr_owed_block), so PostgreSQL reads these rows, not a year of history.
    relevant = (
        Q(status__in=(Status.OPEN, *IN_HAND))
        | Q(status=Status.DELIVERED, delivered_at__gte=min(today, week))
        | reimbursement_owed_q()
    )
    rows = (
        HelpRequest.objects.filter(block__group_id__in=ids)
        .filter(relevant)
        .values("block__group_id")
        .annotate(
            open=Count("pk", filter=Q(status=Status.OPEN)),
            in_hand=Count("pk", filter=Q(status__in=IN_HAND)),
            delivered_today=Count("pk", filter=Q(status=Status.DELIVERED, delivered_at__gte=today)),
            delivered_week=Count("pk", filter=Q(status=Status.DELIVERED, delivered_at__gte=week)),
            owed_total=Sum("spent", filter=reimbursement_owed_q()),
            owed_count=Count("pk", filter=reimbursement_owed_q()),
        )
    )
    for row in rows:
        target = figures[row.pop("block__group_id")]
        for name, value in row.items():
            setattr(target, name, value if value is not None else getattr(target, name))

    late = overdue_requests(
        HelpRequest.objects.filter(block__group_id__in=ids, status__in=NOT_FINISHED),
        now=now,
        slas=slas,
    )
    for row in late.values("block__group_id").annotate(
        unclaimed=Count("pk", filter=Q(status=Status.OPEN)),
        held=Count("pk", filter=Q(status__in=IN_HAND)),
    ):
        figures[row["block__group_id"]].unclaimed_overdue = row["unclaimed"]
        figures[row["block__group_id"]].held_overdue = row["held"]

    # Eight counts per group in one UNION ALL query: on a busy server each round trip to the
    # database costs more than the counting itself.
    counts = [
        ("undeliverable", _undeliverable(ids), "block__group_id"),
        ("callbacks", pending_callbacks(group_ids=ids, now=now), "help_request__block__group_id"),
        (
            "pending_volunteers",
            Volunteer.objects.filter(user__group_id__in=ids, status=VolunteerStatus.PENDING),
            "user__group_id",
        ),
        ("uncovered_blocks", _uncovered_blocks(ids), "group_id"),
        ("inactive_volunteers", _inactive_volunteers(ids, now), "user__group_id"),
        (
            "isolated_due",
            isolated_neighbors_due(now=now).filter(block__group_id__in=ids),
            "block__group_id",
        ),
        ("blocks", Block.objects.filter(group_id__in=ids), "group_id"),
        (
            "volunteers",
            Volunteer.objects.filter(user__group_id__in=ids, status=VolunteerStatus.VERIFIED),
            "user__group_id",
        ),
    ]
    parts = [
        queryset.order_by()
        .values(gid=F(path))
        .annotate(n=Count("pk", distinct=True), what=Value(name, output_field=CharField()))
        for name, queryset, path in counts
    ]
    for row in parts[0].union(*parts[1:], all=True):
        setattr(figures[row["gid"]], row["what"], row["n"])
    return [figures[g.pk] for g in groups]


def todays_work(
    *, group: Group, now: datetime | None = None, slas: list | None = None
) -> TodaysWork:
    """What needs an organizer now, oldest first. Block, kind and times only: no resident data.

    slas: requests.selectors.times_to_claim(), when the caller has read them already.
    """
    now = now or timezone.now()
    slas = times_to_claim() if slas is None else slas
    requests = (
        HelpRequest.objects.filter(block__group=group)
        .select_related("block", "volunteer__user")
        .only(
            "id",
            "kind",
            "urgency",
            "status",
            "due_at",
            "created_at",
            "claimed_at",
            "block__code",
            "block__group_id",
            "volunteer__user__username",
            "volunteer__user__first_name",
            "volunteer__user__last_name",
        )
    )
    return TodaysWork(
        unclaimed_overdue=list(
            overdue_requests(requests.filter(status=Status.OPEN), now=now, slas=slas).order_by(
                "opened_at", "created_at"
            )[:LINES_SHOWN]
        ),
        held_overdue=list(
            overdue_requests(requests.filter(status__in=IN_HAND), now=now, slas=slas).order_by(
                F("due_at").asc(nulls_last=True), "claimed_at"
            )[:LINES_SHOWN]
        ),
        undeliverable=list(
            _undeliverable([group.pk])
            .select_related("block")
            .only("id", "kind", "urgency", "created_at", "block__code", "block__group_id")
            .order_by("created_at")[:LINES_SHOWN]
        ),
        callbacks=list(
            pending_callbacks(group_ids=[group.pk], now=now)
            .select_related("help_request__block")
            .only(
                "id",
                "created_at",
                "channel",
                "help_request__id",
                "help_request__kind",
                "help_request__block__code",
                "help_request__block__group_id",
            )
            .order_by("created_at", "pk")[:LINES_SHOWN]
        ),
        pending_volunteers=list(
            Volunteer.objects.filter(user__group=group, status=VolunteerStatus.PENDING)
            .select_related("user")
            .order_by("created_at")[:LINES_SHOWN]
        ),
        password_requests=PasswordHelpRequest.objects.filter(
            group=group, handled_at__isnull=True
        ).count(),
    )


@dataclass
class Coverage:
    uncovered_blocks: list[Block]
    inactive_volunteers: list[Volunteer]
    isolated_due_by_block: list[dict]


def coverage(*, group: Group, now: datetime | None = None) -> Coverage:
    """Gaps of one group: blocks without a volunteer, quiet volunteers, residents to call.

    Isolated residents are counted per block (the same rule as the check-in reminders); their
    names stay on the call list of the block's volunteers.
    """
    now = now or timezone.now()
    return Coverage(
        uncovered_blocks=list(_uncovered_blocks([group.pk]).order_by("code")[: LINES_SHOWN * 4]),
        inactive_volunteers=list(
            _with_last_action(_inactive_volunteers([group.pk], now))
            .select_related("user")
            .order_by(F("last_action_at").asc(nulls_first=True))[:LINES_SHOWN]
        ),
        isolated_due_by_block=list(
            isolated_neighbors_due(now=now)
            .filter(block__group=group)
            .values("block_id", "block__code")
            .annotate(n=Count("pk"))
            .order_by("block__code")
        ),
    )


def reimbursements_owed(*, group: Group) -> list[dict]:
    """Money owed to each volunteer of the group for purchases they paid, largest first."""
    return list(
        HelpRequest.objects.filter(block__group=group)
        .filter(reimbursement_owed_q())
        .values(
            "volunteer_id",
            "volunteer__user__username",
            "volunteer__user__first_name",
            "volunteer__user__last_name",
        )
        .annotate(total=Sum("spent"), count=Count("pk"))
        .order_by("-total", "volunteer__user__username")
    )
