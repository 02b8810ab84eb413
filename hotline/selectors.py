"""Reads of the hotline log."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from hotline.models import CallLog

PAGE_SIZE = 50


def calls_for_group(*, group_id) -> QuerySet[CallLog]:
    """The group's calls: those waiting for a follow-up first, then the rest, newest first."""
    return (
        CallLog.objects.filter(group_id=group_id)
        .select_related("neighbor__block", "logged_by", "followed_up_by")
        .annotate(
            waiting_first=Case(
                When(Q(follow_up=True, followed_up_at__isnull=True), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting_first", "-created_at", "-pk")
    )
