"""Who saw what: one row each time someone is shown a resident's phone or flat.

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
"""

from __future__ import annotations

from collections.abc import Iterable

from neighbors.models import Neighbor
from privacy.models import ErasureAction, PersonalDataView, PrivacyEvent, ViewChannel


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
    return len(rows)


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
