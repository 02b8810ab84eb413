"""Reads of neighbors shared by the check-in page and the weekly reminder."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from neighbors.models import Neighbor


def isolated_neighbors_due(
    queryset: QuerySet[Neighbor] | None = None, *, now=None
) -> QuerySet[Neighbor]:
    """Isolated neighbors who agreed to be contacted and had no contact for a week: due a
    check-in call. The one rule for the volunteers' call list, the weekly reminder and the
    admin's filter.

    The period is settings.MATCHING["CHECKIN_AFTER_DAYS"] (7 by default).
    queryset: narrows the neighbors considered (the admin passes its scoped list).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MATCHING["CHECKIN_AFTER_DAYS"])
    queryset = Neighbor.objects.all() if queryset is None else queryset
    return queryset.filter(is_isolated=True, consent_to_contact=True).filter(
        Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=cutoff)
    )


def checkin_list_for_volunteer(*, volunteer, now=None) -> QuerySet[Neighbor]:
    """The volunteer's call list: due neighbors of their own blocks, longest silence first."""
    return (
        isolated_neighbors_due(now=now)
        .filter(block__in=volunteer.blocks.all())
        .select_related("block")
        .order_by(F("last_contact_at").asc(nulls_first=True), "block__code", "flat")
    )
