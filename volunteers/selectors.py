"""Reads for the volunteer pages that the shared request selectors do not cover."""

from __future__ import annotations

from django.db.models import QuerySet

from covidarnost import permissions
from requests.models import HelpRequest, Status
from volunteers.models import Volunteer

# Columns the task list and history rows show; the rest (details, code word …) stays unread.
LIST_FIELDS = (
    "id",
    "kind",
    "urgency",
    "status",
    "due_at",
    "created_at",
    "block",
    # The kind's name depends on the group (its own kinds).
    "block__group",
    "block__code",
    "block__address",
)


def delivered_tasks(*, volunteer: Volunteer) -> QuerySet[HelpRequest]:
    """The volunteer's delivered tasks, newest first, within their group."""
    queryset = HelpRequest.objects.filter(volunteer=volunteer, status=Status.DELIVERED)
    return (
        permissions.scope(queryset, volunteer.user)
        .select_related("block")
        .only(*LIST_FIELDS, "delivered_at", "spent", "paid_by", "reimbursed_at")
        .order_by("-delivered_at")
    )
