"""Who saw what: a row each time someone is shown a resident's phone or flat.

Call record_personal_data_view() wherever a page, an API answer, an admin screen or a printed
sheet shows a resident's phone or flat to someone. It stores who, when, which resident and
through which channel (privacy.models.ViewChannel), never the data itself or the address it
was seen from. Organizers read it for their group in the admin (read-only).

    from privacy.access_log import record_personal_data_view
    from privacy.models import ViewChannel

    record_personal_data_view(
        viewer=request.user, neighbors=[n for n in sheet_neighbors], channel=ViewChannel.ROUTE_SHEET
    )

One call writes every row in one INSERT (plus one query for the groups of residents whose
block is not loaded, unless group_id is given), so a list of 20 residents costs one or two
queries, not forty.

Repeats are one row: the same viewer shown the same resident through the same channel within
one slot of ACCESS_LOG_REPEAT_SECONDS (10 minutes) of the clock. A volunteer's app that
refreshes its task list every minute would otherwise write a row a minute for each resident
of their tasks, and the log would still say no more than "seen then". The slots are kept in
the cache (ids only); with the cache down, every view is written.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from neighbors.models import Neighbor
from privacy.models import ErasureAction, PersonalDataView, PrivacyEvent, ViewChannel

logger = logging.getLogger(__name__)


def record_personal_data_view(
    *,
    viewer,
    neighbors: Iterable[Neighbor | None],
    channel: ViewChannel | str,
    group_id=None,
) -> int:
    """Record that viewer was shown these residents' details; returns how many rows.

    None entries (a request whose resident was anonymised) are skipped, so callers can pass
    `task.neighbor` as it is. A resident listed twice is recorded once. group_id, when the
    caller knows all these residents are of one group (a request's block), saves a query.
    """
    unique = {neighbor.pk: neighbor for neighbor in neighbors if neighbor is not None}
    if not unique or viewer is None or not viewer.is_authenticated:
        return 0
    slot_keys = _slot_keys(viewer.pk, channel, unique)
    for pk in _already_recorded(slot_keys):
        del unique[pk]
    if not unique:
        return 0
    groups = {
        pk: group_id if group_id is not None else neighbor.block.group_id
        for pk, neighbor in unique.items()
        if group_id is not None or Neighbor.block.is_cached(neighbor)
    }
    missing = [pk for pk in unique if pk not in groups]
    if missing:
        groups.update(Neighbor.objects.filter(pk__in=missing).values_list("pk", "block__group_id"))
    rows = [
        PersonalDataView(viewer=viewer, neighbor_id=pk, group_id=groups[pk], channel=channel)
        for pk in unique
        if pk in groups
    ]
    PersonalDataView.objects.bulk_create(rows)
    # Only once the rows are committed: a view rolled back with its page is recorded next time.
    if slot_keys:
        written = {slot_keys[row.neighbor_id]: 1 for row in rows}
        transaction.on_commit(lambda: _remember_recorded(written))
    return len(rows)


def _slot_keys(viewer_id, channel, neighbor_ids) -> dict:
    """{resident id: cache key of this viewer, resident and channel in the current slot}."""
    seconds = settings.ACCESS_LOG_REPEAT_SECONDS
    if seconds <= 0:
        return {}
    slot = int(time.time() // seconds)
    return {pk: f"pdview:{slot}:{viewer_id}:{channel}:{pk}" for pk in neighbor_ids}


def _already_recorded(slot_keys: dict) -> list:
    if not slot_keys:
        return []
    try:
        found = cache.get_many(list(slot_keys.values()))
    except Exception:  # cache down: write every view rather than miss one
        logger.warning("access log: cache unavailable; recording every view")
        return []
    return [pk for pk, key in slot_keys.items() if key in found]


def _remember_recorded(keys: dict) -> None:
    try:
        cache.set_many(keys, timeout=settings.ACCESS_LOG_REPEAT_SECONDS)
    except Exception:
        logger.warning("access log: cache unavailable; the next view is recorded again")


def record_personal_data_export(
    *,
    actor,
    model_label: str,
    rows: int,
    columns: list[str],
    neighbors: Iterable[Neighbor | None] = (),
) -> PrivacyEvent:
    """Record an export with personal columns: who, when, which list (model_label), how many
    rows and which columns. Residents whose details went into the file also get a view row each
    (channel EXPORT), as if shown on a page.

    The group is the actor's own (organizers export their group only); None for a superuser.
    """
    event = PrivacyEvent.objects.create(
        action=ErasureAction.PERSONAL_DATA_EXPORTED,
        subject_id=model_label,
        group_id=getattr(actor, "group_id", None),
        actor=actor,
        details={"model": model_label, "rows": rows, "columns": list(columns)},
    )
    record_personal_data_view(viewer=actor, neighbors=neighbors, channel=ViewChannel.EXPORT)
    return event
