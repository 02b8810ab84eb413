"""Due times of a recurring request, in the group's local time (settings.TIME_ZONE), so
"Tuesday 12:00" stays 12:00 across daylight-saving changes.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone


def first_due(*, weekday: int, at: time, after: datetime) -> datetime:
    """The first `weekday` at `at` strictly after `after`."""
    local = timezone.localtime(after)
    days = (weekday - local.weekday()) % 7
    candidate = timezone.make_aware(datetime.combine(local.date() + timedelta(days=days), at))
    if candidate <= after:
        candidate = timezone.make_aware(
            datetime.combine(local.date() + timedelta(days=days + 7), at)
        )
    return candidate


def following_due(due: datetime, *, interval_weeks: int, at: time) -> datetime:
    """The due time `interval_weeks` after `due`, at the same local time of day."""
    day = timezone.localtime(due).date() + timedelta(weeks=interval_weeks)
    return timezone.make_aware(datetime.combine(day, at))
