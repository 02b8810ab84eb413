"""Reads of help requests shared by the volunteer pages, the API and the admin."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from covidarnost.geo import distance_expression
from requests.models import HelpRequest, Status, Urgency
from requests.transitions import IN_HAND
from volunteers.models import Volunteer

# Ordering buckets of the task list.
MINE, MY_BLOCKS, GROUP = 0, 1, 2


def volunteer_base_point(volunteer: Volunteer) -> tuple[float, float] | None:
    """Where distances are measured from: the base location, else the first block."""
    if volunteer.base_latitude is not None and volunteer.base_longitude is not None:
        return volunteer.base_latitude, volunteer.base_longitude
    first = volunteer.blocks.order_by("code").values_list("latitude", "longitude").first()
    return first


def tasks_for_volunteer(*, volunteer: Volunteer, kind: str | None = None) -> QuerySet[HelpRequest]:
    """The volunteer's task list: tasks I hold, then open tasks of my blocks, then the group's
    open tasks nearest first. Annotated with `bucket` and `distance_m` (None without a base).

    Rules: only the volunteer's group; open tasks of others are listed without personal data
    (callers must use permissions.can_see_personal_details before showing any).
    """
    my_block_ids = list(volunteer.blocks.values_list("pk", flat=True))
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
    if kind:
        queryset = queryset.filter(kind=kind)
    base = volunteer_base_point(volunteer)
    if base is None:
        return queryset.annotate(distance_m=Value(None)).order_by("bucket", "due_at", "created_at")
    queryset = queryset.annotate(
        distance_m=distance_expression(*base, "block__latitude", "block__longitude")
    )
    return queryset.order_by("bucket", "distance_m", "created_at")


# Organizers watch these in the admin; the reminders in requests.reminders alert on them.
NOT_FINISHED = (Status.OPEN, Status.CLAIMED, Status.BOUGHT)


def overdue_q(groups, now) -> Q:
    """Requests past their due time, or open longer than their group's time to claim.

    groups: (id, sla_minutes, urgent_sla_minutes) of the groups in view.
    """
    condition = Q(due_at__lt=now, status__in=NOT_FINISHED)
    for group_id, sla, urgent_sla in groups:
        condition |= Q(status=Status.OPEN, block__group_id=group_id) & (
            Q(urgency=Urgency.URGENT, created_at__lt=now - timedelta(minutes=urgent_sla))
            | ~Q(urgency=Urgency.URGENT) & Q(created_at__lt=now - timedelta(minutes=sla))
        )
    return condition


def is_overdue(help_request: HelpRequest, now) -> bool:
    """The same rule as overdue_q for one request (its block and group loaded)."""
    if help_request.status not in NOT_FINISHED:
        return False
    if help_request.due_at and help_request.due_at < now:
        return True
    if help_request.status != Status.OPEN:
        return False
    group = help_request.block.group
    minutes = (
        group.urgent_sla_minutes if help_request.urgency == Urgency.URGENT else group.sla_minutes
    )
    return help_request.created_at < now - timedelta(minutes=minutes)
