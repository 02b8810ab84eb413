"""Reads for the volunteer pages that the shared request selectors do not cover."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.dates import WEEKDAYS_ABBR

from covidarnost import permissions
from requests.models import HelpRequest, Status
from volunteers.models import Volunteer, WeeklySlot, format_slot_time

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


def weekly_slot_rows(*, slots: list[WeeklySlot]) -> list[dict]:
    """The volunteer's weekly slots as the profile form shows them: one row per hours, with
    every day that has them ("Mon-Fri 18:00-21:00" is one row, five slots), in week order."""
    rows: dict[tuple, dict] = {}
    for slot in sorted(slots, key=lambda slot: (slot.weekday, slot.start)):
        key = (slot.start, slot.end)
        row = rows.setdefault(key, {"days": [], "start": slot.start, "end": slot.end})
        row["days"].append(slot.weekday)
    return list(rows.values())


def _day_ranges(days: list[int]) -> str:
    """[0, 1, 2, 3, 4, 6] → "Mon–Fri, Sun" (abbreviations in the active language)."""
    parts, run = [], []
    for day in sorted(days):
        if run and day != run[-1] + 1:
            parts.append(run)
            run = []
        run.append(day)
    if run:
        parts.append(run)
    return ", ".join(
        str(WEEKDAYS_ABBR[part[0]])
        if len(part) == 1
        else f"{WEEKDAYS_ABBR[part[0]]}{'–' if len(part) > 2 else ', '}{WEEKDAYS_ABBR[part[-1]]}"
        for part in parts
    )


def weekly_hours_text(*, slots: list[WeeklySlot]) -> str:
    """ "Mon–Fri 18:00–21:00; Sat 10:00–14:00"; empty when the volunteer has no slots (any
    time)."""
    return "; ".join(
        f"{_day_ranges(row['days'])} {format_slot_time(row['start'])}–"
        f"{format_slot_time(row['end'], end=True)}"
        for row in weekly_slot_rows(slots=slots)
    )
