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
from requests.models import IN_HAND, HelpRequest, RequestEvent, Status
from requests.selectors import overdue_at, overdue_requests
from users.models import Role
from volunteers.models import Volunteer, VolunteerStatus


def send_overdue_reminders(*, notify: Callable, alert: Callable, now=None) -> int:
    """Claimed but not delivered by the due time (selectors.overdue_at): remind the holder;
    OVERDUE_ALERT_HOURS later, alert the group's organizers. Keyed per request and holder.
    Returns sends."""
    now = now or timezone.now()
    alert_after = timedelta(hours=settings.MATCHING["OVERDUE_ALERT_HOURS"])
    overdue = overdue_requests(HelpRequest.objects.filter(status__in=IN_HAND), now=now)
    rows = overdue.select_related("block", "volunteer").order_by()
    sent = 0
    for help_request in rows.iterator():
        sent += bool(
            notify(
                user_id=help_request.volunteer.user_id,
                message="claim_overdue",
                key=f"claim_overdue:{help_request.pk}:{help_request.volunteer_id}",
                help_request_id=help_request.pk,
            )
        )
        if now >= overdue_at(help_request) + alert_after:
            sent += alert(
                group_id=help_request.block.group_id,
                message="claim_overdue_alert",
                key=f"claim_overdue_alert:{help_request.pk}:{help_request.volunteer_id}",
                help_request_id=help_request.pk,
            )
    return sent


def send_unclaimed_alerts(*, alert: Callable, now=None) -> int:
    """Open and overdue (selectors.overdue_at: waited the group's time to claim since it last
    became open, or past its due date): alert the organizers, once per time it became open.
    Returns sends."""
    now = now or timezone.now()
    opened = RequestEvent.objects.filter(
        help_request_id=OuterRef("pk"), to_status=Status.OPEN
    ).order_by("-created_at", "-pk")
    rows = (
        overdue_requests(HelpRequest.objects.filter(status=Status.OPEN), now=now)
        .annotate(opened_event=Subquery(opened.values("pk")[:1]))
        .values("pk", "opened_event", "block__group_id")
        .order_by()
    )
    sent = 0
    for row in rows.iterator():
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
