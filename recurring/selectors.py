"""Reads of recurring requests for the intake desk."""

from __future__ import annotations

from django.db.models import QuerySet

from recurring.models import RecurringRequest, RecurringState

# The desk's list: what still runs (active or paused); stopped ones stay in the admin.
LIST_LIMIT = 200


def recurring_for_group(*, group) -> QuerySet[RecurringRequest]:
    """The group's active and paused recurring requests, next due first (one query)."""
    return (
        RecurringRequest.objects.filter(
            block__group=group, state__in=(RecurringState.ACTIVE, RecurringState.PAUSED)
        )
        .select_related("neighbor", "block")
        .order_by("state", "next_due_at")[:LIST_LIMIT]
    )


def recurring_for_resident(*, neighbor) -> QuerySet[RecurringRequest]:
    """One resident's recurring requests that are not stopped, for her request page."""
    return RecurringRequest.objects.filter(neighbor=neighbor).exclude(state=RecurringState.STOPPED)
