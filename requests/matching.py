"""Who should get a help request: the candidate volunteers, ranked, each with a reason.

Eligible: verified, active, available volunteers of the request's group, under their task
limit, who have not had an offer for this request yet, with the needed skill for a
consultation, and, for a volunteer who gave weekly time slots (volunteers.WeeklySlot), only
while the present moment (settings.TIME_ZONE) is inside one of them; no slots: any time.
Order: volunteers of the request's block; the volunteer who last helped this neighbour; then
a score from distance, workload, skills and language (weights in settings.MATCHING["WEIGHTS"]).

Nearby volunteers never come from a scan of the table. On PostgreSQL a partial GiST index
on point(base_longitude, base_latitude) answers "nearest first" (`<->`, a KNN index scan);
`<->` is planar distance in degrees, so the code fetches until the planar order provably
contains the true (great-circle) top N. Elsewhere (the SQLite demo) a bounding box on the
(status, is_available, base_latitude, base_longitude) B-tree index narrows the rows first.

On PostgreSQL the three sources (block volunteers, previous helper, nearest) come from one
SQL statement, one round trip per match (a second only when the nearest rows fetched cannot
prove the top N yet); building three ORM querysets cost more than running them.
"""

from __future__ import annotations

import hashlib
import math
import re
import weakref
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from covidarnost.geo import METRES_PER_DEGREE, haversine_m
from covidarnost.permissions import consultant_filter
from recurring.models import RecurringOccurrence
from requests.models import IN_HAND, HelpRequest, Offer, RequestKind, Skill, Status
from users.models import Role
from volunteers.models import Volunteer, VolunteerStatus, WeeklySlot

# Columns the ranking needs; rows are fetched as dicts, not model instances.
FIELDS = (
    "pk",
    "user_id",
    "base_latitude",
    "base_longitude",
    "radius_km",
    "open_tasks",
    "max_open_tasks",
    "has_car",
    "does_pharmacy",
    "does_legal_consultation",
    "does_psychological_consultation",
    "languages",
)

# The expression the GiST index of migration volunteers/0002 is built on; queries must use
# exactly this expression for PostgreSQL to pick the index.
_V = Volunteer._meta.db_table
POINT_SQL = f'point("{_V}"."base_longitude", "{_V}"."base_latitude")'

# Planar degrees understate east-west distances by cos(latitude); this margin keeps the
# bound safe against the small difference between planar and great-circle distance.
BOUND_MARGIN = 0.99


def matching_settings() -> dict:
    return settings.MATCHING


@dataclass
class Candidate:
    volunteer_id: object
    user_id: int
    distance_m: float | None
    open_tasks: int
    max_open_tasks: int
    same_block: bool = False
    helped_before: bool = False
    # Did the previous occurrence of this recurring request (recurring.RecurringOccurrence).
    did_last_one: bool = False
    skills: list[str] = field(default_factory=list)
    language: str = ""
    score: float = 0.0

    def sort_key(self):
        distance = self.distance_m if self.distance_m is not None else math.inf
        # The id last: equal candidates come in the same order whichever query found them.
        return (
            not self.did_last_one,
            not self.same_block,
            not self.helped_before,
            -self.score,
            distance,
            str(self.volunteer_id),
        )

    @property
    def reason(self) -> str:
        """Why this volunteer ranks here, for organizers: "same block · 1.2 km, 0 open tasks"."""
        parts = []
        if self.did_last_one:
            parts.append(_("did the last one of this recurring request"))
        if self.same_block:
            parts.append(_("same block"))
        if self.helped_before:
            parts.append(_("helped this neighbour before"))
        load = _("%(count)d open tasks") % {"count": self.open_tasks}
        if self.distance_m is None:
            parts.append(load)
        else:
            parts.append(_("%(km).1f km, %(load)s") % {"km": self.distance_m / 1000, "load": load})
        parts.extend(self.skills)
        if self.language:
            parts.append(_("speaks %(language)s") % {"language": self.language})
        return " · ".join(str(part) for part in parts)[:200]


def needed_skill(help_request: HelpRequest) -> str:
    """The skill the request's kind needs (Skill.NONE for a kind no longer known).

    From the per-process kind cache, so a match stays one statement. For a minute after a
    kind's skill changes, offers may follow the old skill; the claim checks the table.
    """
    return RequestKind.objects.cached_skill(help_request.kind, help_request.block.group_id)


def local_moment(now=None) -> tuple[int, object]:
    """(weekday, time of day) of a moment in settings.TIME_ZONE: what weekly slots are in."""
    local = timezone.localtime(now or timezone.now(), timezone.get_default_timezone())
    return local.weekday(), local.time()


def within_weekly_slots_q(now=None):
    """Volunteers without weekly slots, or with one that holds the moment (start <= t < end).

    The offer is made while the volunteer said they are free; it may run a few minutes past
    the slot's end (the offer window), which is the volunteer's to decline.
    """
    weekday, moment = local_moment(now)
    slots = WeeklySlot.objects.filter(volunteer=OuterRef("pk"))
    return ~Exists(slots) | Exists(slots.filter(weekday=weekday, start__lte=moment, end__gt=moment))


def eligible_volunteers(
    help_request: HelpRequest, skill: str | None = None, *, now=None
) -> QuerySet[Volunteer]:
    """Volunteers who may get an offer for this request now (unordered)."""
    open_tasks = (
        HelpRequest.objects.filter(volunteer_id=OuterRef("pk"), status__in=IN_HAND)
        .order_by()
        .values("volunteer_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    queryset = (
        Volunteer.objects.filter(
            status=VolunteerStatus.VERIFIED,
            is_available=True,
            user__is_active=True,
            user__role=Role.VOLUNTEER,
            user__group_id=help_request.block.group_id,
        )
        .exclude(pk__in=Offer.objects.filter(help_request_id=help_request.pk).values("volunteer"))
        .annotate(
            open_tasks=Coalesce(Subquery(open_tasks, output_field=IntegerField()), 0),
        )
        .filter(open_tasks__lt=F("max_open_tasks"))
        .filter(within_weekly_slots_q(now))
        .order_by()
    )
    # Consultations go only to those who give them; other skills only score.
    consultants = consultant_filter(needed_skill(help_request) if skill is None else skill)
    if consultants is not None:
        queryset = queryset.filter(consultants)
    return queryset


def _within_own_radius(row: dict, distance_m: float) -> bool:
    return row["radius_km"] is None or distance_m <= float(row["radius_km"]) * 1000


def _nearby(rows, latitude, longitude, radius_m: float) -> list:
    """(distance, row) of the rows within radius_m and their own radius, nearest first (ties
    by id, so every path orders alike)."""
    found = []
    for row in rows:
        distance = haversine_m(latitude, longitude, row["base_latitude"], row["base_longitude"])
        if distance <= radius_m and _within_own_radius(row, distance):
            found.append((distance, row))
    found.sort(key=lambda item: (item[0], str(item[1]["pk"])))
    return found


def _lower_bound_factor(latitude: float, radius_m: float) -> float:
    """cos of the highest latitude the search can reach: planar degrees × this ≤ true."""
    reach = min(89.9, abs(latitude) + radius_m / METRES_PER_DEGREE)
    return math.cos(math.radians(reach)) * BOUND_MARGIN


def _nearest_of_fetched(
    rows: list[dict], *, latitude: float, longitude: float, radius_m: float, limit: int, fetch: int
) -> list[tuple[float, dict]] | None:
    """The true top `limit` from rows fetched in `<->` order (at most `fetch`), or None.

    None means the rows cannot prove it: fetch more. Rows carry "planar", the `<->` value,
    and may carry "in_slot" (False: outside their weekly slots now, so not a candidate; they
    still count for the walk's bound).
    """
    found = _nearby(
        [row for row in rows if row.get("in_slot", True)], latitude, longitude, radius_m
    )
    if len(rows) < fetch:
        return found[:limit]
    # Every row not fetched is at least this far away (great-circle).
    bound = rows[-1]["planar"] * METRES_PER_DEGREE * _lower_bound_factor(latitude, radius_m)
    if bound > radius_m or sum(1 for distance, _row in found if distance <= bound) >= limit:
        return found[:limit]
    return None


def _first_fetch(limit: int) -> int:
    return max(limit * 3, 10)


def nearest_postgres(
    queryset: QuerySet, *, latitude: float, longitude: float, radius_m: float, limit: int
) -> list[tuple[float, dict]]:
    """Up to `limit` rows nearest by great-circle distance within radius_m, via GiST KNN."""
    # No "inside the circle" condition here: with one, PostgreSQL prefers a bitmap scan of
    # the whole circle plus a sort; ordered by `<->` alone it walks the index nearest first
    # and stops at the LIMIT. The radius ends the loop below instead.
    knn = queryset.filter(base_latitude__isnull=False).annotate(
        # Constant SQL, values passed as parameters.
        planar=RawSQL(f"{POINT_SQL} <-> point(%s, %s)", (longitude, latitude))  # noqa: S611
    )
    fetch = _first_fetch(limit)
    while True:
        rows = list(knn.order_by("planar").values(*FIELDS, "planar")[:fetch])
        found = _nearest_of_fetched(
            rows,
            latitude=latitude,
            longitude=longitude,
            radius_m=radius_m,
            limit=limit,
            fetch=fetch,
        )
        if found is not None:
            return found
        fetch *= 4


def nearest_bounding_box(
    queryset: QuerySet, *, latitude: float, longitude: float, radius_m: float, limit: int
) -> list[tuple[float, dict]]:
    """The same answer as nearest_postgres, from a (lat, lon) box then exact distances."""
    dlat = radius_m / METRES_PER_DEGREE
    dlon = radius_m / (METRES_PER_DEGREE * _lower_bound_factor(latitude, radius_m))
    rows = queryset.filter(
        base_latitude__range=(latitude - dlat, latitude + dlat),
        base_longitude__range=(longitude - dlon, longitude + dlon),
    ).values(*FIELDS)
    return _nearby(rows, latitude, longitude, radius_m)[:limit]


def nearest(queryset, **kwargs) -> list[tuple[float, dict]]:
    if connection.vendor == "postgresql":
        return nearest_postgres(queryset, **kwargs)
    return nearest_bounding_box(queryset, **kwargs)


def _skills_for(skill: str, row: dict) -> list[str]:
    """The volunteer's skills that the request's kind needs, named for the offer's reason."""
    skills = []
    if skill == Skill.PHARMACY and row["does_pharmacy"]:
        skills.append(_("pharmacy"))
    if skill == Skill.CAR and row["has_car"]:
        skills.append(_("has a car"))
    if skill in (Skill.LEGAL, Skill.ANY_CONSULTATION) and row["does_legal_consultation"]:
        skills.append(_("legal"))
    if (
        skill in (Skill.PSYCHOLOGICAL, Skill.ANY_CONSULTATION)
        and row["does_psychological_consultation"]
    ):
        skills.append(_("psychological"))
    return skills


def _score(candidate: Candidate) -> float:
    weights = matching_settings()["WEIGHTS"]
    km = (candidate.distance_m or 0) / 1000
    load = candidate.open_tasks / max(candidate.max_open_tasks, 1)
    return (
        -weights["DISTANCE_KM"] * km
        - weights["WORKLOAD"] * load
        + weights["SKILL"] * len(candidate.skills)
        + weights["LANGUAGE"] * (1 if candidate.language else 0)
    )


def _first_choice_id(help_request: HelpRequest):
    """For an occurrence of a recurring request: who did the previous one."""
    return (
        RecurringOccurrence.objects.filter(help_request_id=help_request.pk)
        .values_list("offer_first_to_id", flat=True)
        .first()
    )


def _previous_helper_id(help_request: HelpRequest):
    return (
        HelpRequest.objects.filter(neighbor_id=help_request.neighbor_id, status=Status.DELIVERED)
        .exclude(pk=help_request.pk)
        .order_by("-delivered_at")
        .values_list("volunteer_id", flat=True)
        .first()
    )


# One statement per match on PostgreSQL. The eligibility of `eligible_volunteers`, in SQL,
# for each source; constants below are enum values and the models' table names, never input:
# every value is a parameter. Table names come from the models, so a renamed or moved model
# cannot leave the statement reading a table that is gone.
_IN_HAND_SQL = ", ".join(f"'{status.value}'" for status in sorted(IN_HAND))
_VOLUNTEERS = Volunteer._meta.db_table
_VOLUNTEER_BLOCKS = Volunteer.blocks.through._meta.db_table
_USERS = Volunteer._meta.get_field("user").related_model._meta.db_table
_REQUESTS = HelpRequest._meta.db_table
_OFFERS = Offer._meta.db_table
_OCCURRENCES = RecurringOccurrence._meta.db_table
_SLOTS = WeeklySlot._meta.db_table
# "end" is an SQL keyword: the slot's columns are quoted.
_SLOT_START = '"{}"'.format(WeeklySlot._meta.get_field("start").column)
_SLOT_END = '"{}"'.format(WeeklySlot._meta.get_field("end").column)
_PG_FROM = f"""
    FROM {_VOLUNTEERS} v
    JOIN {_USERS} u ON u.id = v.user_id
    CROSS JOIN LATERAL (
        SELECT count(*) AS open_tasks FROM {_REQUESTS} h
        WHERE h.volunteer_id = v.id AND h.status IN ({_IN_HAND_SQL})
    ) t"""  # noqa: S608 - constants only
# 'verified' and is_available spelled as literals: the partial GiST index's predicate.
_PG_ELIGIBLE = f"""
    v.status = '{VolunteerStatus.VERIFIED.value}' AND v.is_available
    AND u.is_active AND u.role = '{Role.VOLUNTEER.value}' AND u.group_id = %(group)s
    AND t.open_tasks < v.max_open_tasks
    AND NOT EXISTS (
        SELECT 1 FROM {_OFFERS} o
        WHERE o.help_request_id = %(request)s AND o.volunteer_id = v.id
    )"""  # noqa: S608 - constants only
# Inside a weekly slot now: no slot at all (NULL) means any time, else one must hold the moment.
# One aggregate over the volunteer's own slots (the unique (volunteer, weekday, start) index).
# The nearest branch selects it as a column, which PostgreSQL evaluates after ORDER BY … LIMIT
# (an expensive output column waits for the limit), and Python drops the rows outside a slot
# (_nearest_of_fetched). In the walk's WHERE its cost made the walk look dear: the generic plan
# sorted the whole group instead (≈60-190 ms a match on the bench, against ≈3 ms); written as
# NOT EXISTS … OR EXISTS …, PostgreSQL hashed the whole slot table first.
_PG_IN_SLOT = f"""COALESCE((
        SELECT bool_or(s.weekday = %(weekday)s
            AND s.{_SLOT_START} <= %(moment)s AND s.{_SLOT_END} > %(moment)s)
        FROM {_SLOTS} s WHERE s.volunteer_id = v.id
    ), TRUE)"""  # noqa: S608 - constants only
_PG_SKILL = """
    AND (NOT %(legal)s OR v.does_legal_consultation)
    AND (NOT %(psychological)s OR v.does_psychological_consultation)
    AND (NOT %(consultation)s OR v.does_legal_consultation OR v.does_psychological_consultation)"""
_PG_COLUMNS = """
    v.id, v.user_id, v.base_latitude, v.base_longitude, v.radius_km, t.open_tasks,
    v.max_open_tasks, v.has_car, v.does_pharmacy, v.does_legal_consultation,
    v.does_psychological_consultation, v.languages"""
_PG_PLANAR = "point(v.base_longitude, v.base_latitude) <-> point(%(lon)s, %(lat)s)"
# Nearest first along the GiST index. Rows that provably cannot be within the volunteer's
# own radius (their planar lower bound is already past it) are skipped in the walk, unless
# they are past the group's radius too: those still end the walk at the LIMIT.
_PG_NEAREST = f"""
    (SELECT 'nearest' AS source, {_PG_PLANAR} AS planar, {_PG_IN_SLOT} AS in_slot,
    {_PG_COLUMNS}
    {_PG_FROM}
    WHERE v.base_latitude IS NOT NULL AND {_PG_ELIGIBLE}{_PG_SKILL}
        AND (v.radius_km IS NULL
            OR ({_PG_PLANAR}) * %(lower_bound)s <= v.radius_km::float8 * 1000
            OR ({_PG_PLANAR}) * %(lower_bound)s > %(radius_m)s)
    ORDER BY planar
    LIMIT {{fetch:d}})"""
_PG_BLOCK = f"""
    SELECT 'block', NULL::float8, TRUE, {_PG_COLUMNS}
    {_PG_FROM}
    JOIN {_VOLUNTEER_BLOCKS} vb ON vb.volunteer_id = v.id AND vb.block_id = %(block)s
    WHERE {_PG_ELIGIBLE}{_PG_SKILL} AND {_PG_IN_SLOT}"""
# The neighbour's previous helper and, for an occurrence of a recurring request, whoever did
# the previous occurrence ('first'): offered it before anyone else.
_PG_FIRST_CHOICE = f"""(
        SELECT o.offer_first_to_id FROM {_OCCURRENCES} o
        WHERE o.help_request_id = %(request)s)"""  # noqa: S608 - constants only
_PG_PREVIOUS = f"""
    SELECT CASE WHEN v.id = {_PG_FIRST_CHOICE} THEN 'first' ELSE 'previous' END,
        NULL::float8, TRUE, {_PG_COLUMNS}
    {_PG_FROM}
    WHERE v.id IN ((
        SELECT p.volunteer_id FROM {_REQUESTS} p
        WHERE p.neighbor_id = %(neighbor)s AND p.status = '{Status.DELIVERED.value}'
            AND p.id <> %(request)s
        ORDER BY p.delivered_at DESC
        LIMIT 1
    ), {_PG_FIRST_CHOICE}) AND {_PG_ELIGIBLE}{_PG_SKILL}
        AND {_PG_IN_SLOT}"""  # noqa: S608 - constants only


_PG_STATEMENT = "\nUNION ALL\n".join((_PG_NEAREST, _PG_BLOCK, _PG_PREVIOUS))
_PG_PARAMS = (
    "group",
    "request",
    "block",
    "neighbor",
    "lat",
    "lon",
    "radius_m",
    "lower_bound",
    "legal",
    "psychological",
    "consultation",
    "weekday",
    "moment",
)
# Prepared once per database connection and per LIMIT (a constant), which saves parsing; each
# execution is planned for its parameters (plan_cache_mode = force_custom_plan). The generic
# plan was faster while it held (≈1.8 ms p95 on the bench, against ≈7 ms planned each time)
# but it rests on estimates of a third of rows kept per parameter filter: after a reseed of
# the bench, or with a LIMIT a little above the first fetch, it chose a sort of the whole
# group over the nearest-first walk (≈45-60 ms a match). plan_cache_mode only concerns
# prepared statements, which nothing else here uses. The name carries a hash of the text: a
# connection that outlives a code change never runs an older statement.
_PG_HASH = hashlib.sha256(_PG_STATEMENT.encode()).hexdigest()[:12]
_PG_POSITIONAL = re.sub(
    r"%\((\w+)\)s", lambda match: f"${_PG_PARAMS.index(match[1]) + 1}", _PG_STATEMENT
)
_PG_ARGUMENTS = ", ".join(f"%({name})s" for name in _PG_PARAMS)
# Statement names prepared on each raw (driver) connection; a new connection starts empty.
_prepared_on: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# SQLSTATEs: no such prepared statement (e.g. after DISCARD ALL); already prepared.
_NOT_PREPARED, _ALREADY_PREPARED = "26000", "42P05"
# No JIT compilation for a statement that runs in milliseconds. PostgreSQL decides on JIT from
# the plan's estimated cost, and the nearest-first walk is costed as a scan of the whole
# partial index: with the weekly-slot check per row the estimate passed jit_above_cost, and
# compiling took ≈140 ms on every execution of the cached plan (bench/match.py), against ≈3 ms
# for the match. Sent with each statement, as plan_cache_mode is (below).
# No parallel workers either: in a generic plan, a parallel scan of the group's volunteers
# with a sort looked cheaper than the walk once the data shifted (≈45 ms a match on the
# bench after a reseed, against ≈2 ms for the walk), and starting workers costs more than
# the whole statement. Both settings stay on the connection (SET, not SET LOCAL), which in
# production is a Celery worker's.
_NO_JIT = "SET jit = off;\nSET max_parallel_workers_per_gather = 0;\n"


def _execute_candidates(cursor, params: dict, *, fetch: int) -> list[tuple]:
    """Run the candidate statement, prepared on this connection unless settings say not to.

    PREPARE and the first EXECUTE travel in one round trip. Prepared statements belong to
    the database session: behind a pooler in transaction mode set MATCHING["PREPARED"] False.
    """
    if not matching_settings().get("PREPARED", True):
        cursor.execute(_NO_JIT + _PG_STATEMENT.format(fetch=fetch), params)
        return cursor.fetchall()
    raw = connection.connection
    name = f"covidarnost_match_{_PG_HASH}_{fetch:d}"
    # One round trip; SET rather than SET LOCAL, which needs a transaction. A SET made in a
    # transaction that rolls back is undone, hence sent each time (it costs microseconds).
    execute = f"{_NO_JIT}SET plan_cache_mode = force_custom_plan;\nEXECUTE {name}({_PG_ARGUMENTS})"
    for attempt in range(2):
        names = _prepared_on.setdefault(raw, set())
        sql = execute
        if name not in names:
            sql = f"PREPARE {name} AS {_PG_POSITIONAL.format(fetch=fetch)};\n{execute}"
        try:
            cursor.execute(sql, params)
        except DatabaseError as error:
            code = getattr(error.__cause__, "pgcode", None)
            if code == _NOT_PREPARED:
                names.discard(name)
            elif code == _ALREADY_PREPARED:
                names.add(name)
            else:
                raise
            # Outside a transaction the failed statement left nothing to roll back: try
            # again. Inside one, the transaction is lost; the caller (a Celery task) retries.
            if attempt or connection.in_atomic_block:
                raise
            continue
        names.add(name)
        return cursor.fetchall()
    raise AssertionError("unreachable")


def _collect_postgres(
    help_request: HelpRequest, *, skill: str, radius_m: float, limit: int, now=None
):
    """(rows, distances) as `_collect_orm` returns them, from one statement."""
    block = help_request.block
    weekday, moment = local_moment(now)
    params = {
        "group": block.group_id,
        "request": help_request.pk,
        "block": block.pk,
        "neighbor": help_request.neighbor_id,
        "lat": block.latitude,
        "lon": block.longitude,
        "radius_m": radius_m,
        "lower_bound": METRES_PER_DEGREE * _lower_bound_factor(block.latitude, radius_m),
        "legal": skill == Skill.LEGAL,
        "psychological": skill == Skill.PSYCHOLOGICAL,
        "consultation": skill == Skill.ANY_CONSULTATION,
        "weekday": weekday,
        "moment": moment,
    }
    fetch = _first_fetch(limit)
    rows: dict = {}
    first_choice = set()
    with connection.cursor() as cursor:
        while True:
            fetched = []
            rows_fetched = _execute_candidates(cursor, params, fetch=fetch)
            for source, planar, in_slot, *values in rows_fetched:
                row = dict(zip(FIELDS, values, strict=True))
                if source == "nearest":
                    row["planar"] = planar
                    row["in_slot"] = in_slot
                    fetched.append(row)
                else:
                    _row, same_block, helped = rows.get(row["pk"], (row, False, False))
                    rows[row["pk"]] = (
                        row,
                        same_block or source == "block",
                        helped or source in ("previous", "first"),
                    )
                    if source == "first":
                        first_choice.add(row["pk"])
            # The UNION ALL keeps each branch's order in practice, not by contract.
            fetched.sort(key=lambda row: row["planar"])
            found = _nearest_of_fetched(
                fetched,
                latitude=block.latitude,
                longitude=block.longitude,
                radius_m=radius_m,
                limit=limit,
                fetch=fetch,
            )
            if found is not None:
                break
            # Rare: run it again with more nearest rows (block and helper come again too).
            fetch *= 4
    distances = {}
    for distance, row in found:
        distances[row["pk"]] = distance
        rows.setdefault(row["pk"], (row, False, False))
    return rows, distances, first_choice


def _collect_orm(
    help_request: HelpRequest, *, skill: str, radius_m: float, limit: int, finder, now=None
):
    """(rows, distances, first choice): {pk: (row, same_block, helped_before)}, {pk: metres}
    of the nearest, and the pks of who did a recurring request's previous occurrence."""
    block = help_request.block
    base = eligible_volunteers(help_request, skill, now=now)
    rows: dict = {}
    for row in base.filter(blocks=block).values(*FIELDS):
        rows[row["pk"]] = (row, True, False)
    first = _first_choice_id(help_request)
    for previous in {_previous_helper_id(help_request), first} - {None}:
        if previous in rows:
            row, same_block, _helped = rows[previous]
            rows[previous] = (row, same_block, True)
        else:
            for row in base.filter(pk=previous).values(*FIELDS):
                rows[row["pk"]] = (row, False, True)
    distances = {}
    for distance, row in finder(
        base, latitude=block.latitude, longitude=block.longitude, radius_m=radius_m, limit=limit
    ):
        distances[row["pk"]] = distance
        rows.setdefault(row["pk"], (row, False, False))
    return rows, distances, {first} & set(rows)


def rank_candidates(
    help_request: HelpRequest, *, limit: int | None = None, finder=None, now=None
) -> list[Candidate]:
    """The eligible volunteers for a request, best first, each with score and reason.

    A fixed number of indexed queries whatever the number of volunteers: the block's
    volunteers, the neighbour's previous helper, and the nearest N within the group's radius
    and each volunteer's own radius. On PostgreSQL one statement; elsewhere, or with a
    `finder` (a `nearest`-like function, for benchmarks and tests), three ORM queries.
    `now`: the moment weekly slots are checked against (default: the present).
    """
    config = matching_settings()
    limit = limit or config["CANDIDATES"]
    block = help_request.block
    group = block.group
    radius_m = float(group.match_radius_km or config["DEFAULT_RADIUS_KM"]) * 1000
    neighbour_language = (getattr(help_request.neighbor, "language", "") or "").strip()

    skill = needed_skill(help_request)
    if finder is None and connection.vendor == "postgresql":
        rows, distances, first_choice = _collect_postgres(
            help_request, skill=skill, radius_m=radius_m, limit=limit, now=now
        )
    else:
        rows, distances, first_choice = _collect_orm(
            help_request,
            skill=skill,
            radius_m=radius_m,
            limit=limit,
            finder=finder or nearest,
            now=now,
        )

    candidates = []
    for pk, (row, same_block, helped_before) in rows.items():
        distance = distances.get(pk)
        if distance is None and row["base_latitude"] is not None:
            distance = haversine_m(
                block.latitude, block.longitude, row["base_latitude"], row["base_longitude"]
            )
        language = ""
        if neighbour_language and neighbour_language in _codes(row["languages"]):
            language = neighbour_language
        candidate = Candidate(
            volunteer_id=pk,
            user_id=row["user_id"],
            distance_m=distance,
            open_tasks=row["open_tasks"],
            max_open_tasks=row["max_open_tasks"],
            same_block=same_block,
            helped_before=helped_before,
            did_last_one=pk in first_choice,
            skills=_skills_for(skill, row),
            language=language,
        )
        candidate.score = _score(candidate)
        candidates.append(candidate)
    candidates.sort(key=Candidate.sort_key)
    return candidates[:limit]


def _codes(languages: str) -> list[str]:
    return [code.strip() for code in (languages or "").split(",") if code.strip()]
