"""Who should get a help request: the candidate volunteers, ranked, each with a reason.

Eligible: verified, active, available volunteers of the request's group, under their task
limit, who have not had an offer for this request yet, with the needed skill for a
consultation. Order: volunteers of the request's block; the volunteer who last helped this
neighbour; then a score from distance, workload, skills and language (weights in
settings.MATCHING["WEIGHTS"]).

Nearby volunteers never come from a scan of the table. On PostgreSQL a partial GiST index
on point(base_longitude, base_latitude) answers "nearest first" (`<->`, a KNN index scan);
`<->` is planar distance in degrees, so the code fetches until the planar order provably
contains the true (great-circle) top N. Elsewhere (the SQLite demo) a bounding box on the
(status, is_available, base_latitude, base_longitude) B-tree index narrows the rows first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from covidarnost.geo import METRES_PER_DEGREE, haversine_m
from requests.models import HelpRequest, Kind, Offer, Status
from requests.transitions import IN_HAND
from users.models import Role
from volunteers.models import Volunteer, VolunteerStatus

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
POINT_SQL = 'point("volunteers_volunteer"."base_longitude", "volunteers_volunteer"."base_latitude")'

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
    skills: list[str] = field(default_factory=list)
    language: str = ""
    score: float = 0.0

    def sort_key(self):
        distance = self.distance_m if self.distance_m is not None else math.inf
        return (not self.same_block, not self.helped_before, -self.score, distance)

    @property
    def reason(self) -> str:
        """Why this volunteer ranks here, for organizers: "same block · 1.2 km, 0 open tasks"."""
        parts = []
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


def needs_skill_filter(kind: str) -> Q | None:
    """Consultations need a volunteer who gives them; other kinds only score by skill."""
    if kind == Kind.CONSULTATION:
        return Q(does_legal_consultation=True) | Q(does_psychological_consultation=True)
    return None


def eligible_volunteers(help_request: HelpRequest) -> QuerySet[Volunteer]:
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
        .order_by()
    )
    skill = needs_skill_filter(help_request.kind)
    if skill is not None:
        queryset = queryset.filter(skill)
    return queryset


def _within_own_radius(row: dict, distance_m: float) -> bool:
    return row["radius_km"] is None or distance_m <= float(row["radius_km"]) * 1000


def _lower_bound_factor(latitude: float, radius_m: float) -> float:
    """cos of the highest latitude the search can reach: planar degrees × this ≤ true."""
    reach = min(89.9, abs(latitude) + radius_m / METRES_PER_DEGREE)
    return math.cos(math.radians(reach)) * BOUND_MARGIN


def nearest_postgres(
    queryset: QuerySet, *, latitude: float, longitude: float, radius_m: float, limit: int
) -> list[tuple[float, dict]]:
    """Up to `limit` rows nearest by great-circle distance within radius_m, via GiST KNN."""
    factor = _lower_bound_factor(latitude, radius_m)
    # No "inside the circle" condition here: with one, PostgreSQL prefers a bitmap scan of
    # the whole circle plus a sort; ordered by `<->` alone it walks the index nearest first
    # and stops at the LIMIT. The radius ends the loop below instead.
    knn = queryset.filter(base_latitude__isnull=False).annotate(
        # Constant SQL, values passed as parameters.
        planar=RawSQL(f"{POINT_SQL} <-> point(%s, %s)", (longitude, latitude))  # noqa: S611
    )
    fetch = max(limit * 3, 10)
    while True:
        rows = list(knn.order_by("planar").values(*FIELDS, "planar")[:fetch])
        found = []
        for row in rows:
            distance = haversine_m(latitude, longitude, row["base_latitude"], row["base_longitude"])
            if distance <= radius_m and _within_own_radius(row, distance):
                found.append((distance, row))
        found.sort(key=lambda item: (item[0], str(item[1]["pk"])))
        if len(rows) < fetch:
            return found[:limit]
        # Every row not fetched is at least this far away (great-circle).
        bound = rows[-1]["planar"] * METRES_PER_DEGREE * factor
        if bound > radius_m or sum(1 for distance, _row in found if distance <= bound) >= limit:
            return found[:limit]
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
    found = []
    for row in rows:
        distance = haversine_m(latitude, longitude, row["base_latitude"], row["base_longitude"])
        if distance <= radius_m and _within_own_radius(row, distance):
            found.append((distance, row))
    found.sort(key=lambda item: (item[0], str(item[1]["pk"])))
    return found[:limit]


def nearest(queryset, **kwargs) -> list[tuple[float, dict]]:
    if connection.vendor == "postgresql":
        return nearest_postgres(queryset, **kwargs)
    return nearest_bounding_box(queryset, **kwargs)


def _skills_for(kind: str, row: dict) -> list[str]:
    skills = []
    if kind in (Kind.MEDICINE, Kind.PRESCRIPTION) and row["does_pharmacy"]:
        skills.append(_("pharmacy"))
    if kind in (Kind.GROCERIES, Kind.ERRAND) and row["has_car"]:
        skills.append(_("has a car"))
    if kind == Kind.CONSULTATION:
        if row["does_legal_consultation"]:
            skills.append(_("legal"))
        if row["does_psychological_consultation"]:
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


def _previous_helper_id(help_request: HelpRequest):
    return (
        HelpRequest.objects.filter(neighbor_id=help_request.neighbor_id, status=Status.DELIVERED)
        .exclude(pk=help_request.pk)
        .order_by("-delivered_at")
        .values_list("volunteer_id", flat=True)
        .first()
    )


def rank_candidates(help_request: HelpRequest, *, limit: int | None = None) -> list[Candidate]:
    """The eligible volunteers for a request, best first, each with score and reason.

    A handful of indexed queries whatever the number of volunteers: the block's volunteers,
    the neighbour's previous helper, and the nearest N within the group's radius and each
    volunteer's own radius.
    """
    config = matching_settings()
    limit = limit or config["CANDIDATES"]
    block = help_request.block
    group = block.group
    base = eligible_volunteers(help_request)
    radius_m = float(group.match_radius_km or config["DEFAULT_RADIUS_KM"]) * 1000
    neighbour_language = (getattr(help_request.neighbor, "language", "") or "").strip()

    rows: dict = {}
    for row in base.filter(blocks=block).values(*FIELDS):
        rows[row["pk"]] = (row, True, False)
    previous = _previous_helper_id(help_request)
    if previous is not None:
        if previous in rows:
            row, same_block, _helped = rows[previous]
            rows[previous] = (row, same_block, True)
        else:
            for row in base.filter(pk=previous).values(*FIELDS):
                rows[row["pk"]] = (row, False, True)
    distances = {}
    for distance, row in nearest(
        base, latitude=block.latitude, longitude=block.longitude, radius_m=radius_m, limit=limit
    ):
        distances[row["pk"]] = distance
        rows.setdefault(row["pk"], (row, False, False))

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
            skills=_skills_for(help_request.kind, row),
            language=language,
        )
        candidate.score = _score(candidate)
        candidates.append(candidate)
    candidates.sort(key=Candidate.sort_key)
    return candidates[:limit]


def _codes(languages: str) -> list[str]:
    return [code.strip() for code in (languages or "").split(",") if code.strip()]
