"""Follow-ups run by celery beat: overdue claims, unclaimed requests, weekly check-in lists.

Each function scans with indexed filters and sends through the notification services given
as arguments (tasks pass notify_user / alert_organizers). Every message has a key derived from
what it is about (request, holder, the event that opened the request, the ISO week), so it is
sent once however often the scan runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from neighbors.selectors import isolated_neighbors_due
from requests.models import HelpRequest, RequestEvent, Status, Urgency
from requests.transitions import IN_HAND
from users.models import Role
from volunteers.models import Volunteer, VolunteerStatus


def due_time(*, due_at, claimed_at, urgency: str):
    """When a claimed request should be delivered: its due date, else a default after claim."""
    if due_at is not None:
        return due_at
    hours = settings.MATCHING["DEFAULT_DUE_HOURS"]
    return claimed_at + timedelta(hours=hours.get(urgency, hours["normal"]))


def send_overdue_reminders(*, notify: Callable, alert: Callable, now=None) -> int:
    """Claimed but not delivered by the due time: remind the holder; OVERDUE_ALERT_HOURS
    later, alert the group's organizers. Keyed per request and holder. Returns sends."""
    now = now or timezone.now()
    alert_after = timedelta(hours=settings.MATCHING["OVERDUE_ALERT_HOURS"])
    rows = (
        HelpRequest.objects.filter(status__in=IN_HAND, claimed_at__isnull=False)
        .values(
            "pk",
            "volunteer_id",
            "volunteer__user_id",
            "due_at",
            "claimed_at",
            "urgency",
            "block__group_id",
        )
        .order_by()
    )
    sent = 0
    for row in rows.iterator():
        due = due_time(due_at=row["due_at"], claimed_at=row["claimed_at"], urgency=row["urgency"])
        if now < due:
            continue
        sent += bool(
            notify(
                user_id=row["volunteer__user_id"],
                message="claim_overdue",
                key=f"claim_overdue:{row['pk']}:{row['volunteer_id']}",
                help_request_id=row["pk"],
            )
        )
        if now >= due + alert_after:
            sent += alert(
                group_id=row["block__group_id"],
                message="claim_overdue_alert",
                key=f"claim_overdue_alert:{row['pk']}:{row['volunteer_id']}",
                help_request_id=row["pk"],
            )
    return sent


def send_unclaimed_alerts(*, alert: Callable, now=None) -> int:
    """Open and unclaimed longer than the group's SLA (urgent: its shorter SLA) since it last
    became open: alert the organizers, once per time it became open. Returns sends."""
    now = now or timezone.now()
    opened = RequestEvent.objects.filter(
        help_request_id=OuterRef("pk"), to_status=Status.OPEN
    ).order_by("-created_at", "-pk")
    rows = (
        HelpRequest.objects.filter(status=Status.OPEN)
        .annotate(
            opened_at=Subquery(opened.values("created_at")[:1]),
            opened_event=Subquery(opened.values("pk")[:1]),
        )
        .values(
            "pk",
            "urgency",
            "created_at",
            "opened_at",
            "opened_event",
            "block__group_id",
            "block__group__sla_minutes",
            "block__group__urgent_sla_minutes",
        )
        .order_by()
    )
    sent = 0
    for row in rows.iterator():
        minutes = (
            row["block__group__urgent_sla_minutes"]
            if row["urgency"] == Urgency.URGENT
            else row["block__group__sla_minutes"]
        )
        start = row["opened_at"] or row["created_at"]
        if now < start + timedelta(minutes=minutes):
            continue
        sent += alert(
            group_id=row["block__group_id"],
            message="unclaimed_alert",
            key=f"unclaimed_alert:{row['pk']}:{row['opened_event'] or 0}",
            help_request_id=row["pk"],
        )
    return sent


def checkin_week(now) -> str:
    year, week, _day = timezone.localtime(now).isocalendar()
    return f"{year}-W{week:02d}"


def volunteers_with_checkins(*, now=None) -> list[int]:
    """User ids of active volunteers whose blocks have isolated neighbours to call
    (the same neighbours their /checkins/ page lists)."""
    blocks = isolated_neighbors_due(now=now).values("block_id")
    return list(
        Volunteer.objects.filter(
            blocks__in=Subquery(blocks),
            status=VolunteerStatus.VERIFIED,
            user__is_active=True,
            user__role=Role.VOLUNTEER,
        )
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def send_checkin_lists(*, notify: Callable, now=None) -> int:
    """Weekly: every volunteer of a block with isolated neighbours not contacted for
    CHECKIN_AFTER_DAYS gets one message linking to their call list. Keyed per ISO week."""
    now = now or timezone.now()
    week = checkin_week(now)
    sent = 0
    for user_id in volunteers_with_checkins(now=now):
        sent += bool(
            notify(user_id=user_id, message="checkin_list", key=f"checkin_list:{user_id}:{week}")
        )
    return sent
