"""Weekly response times and the server-rendered SVG chart that shows them (no script)."""

from __future__ import annotations

import hashlib
import logging
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from desk.selectors import day_and_week_start
from neighbors.models import Block
from requests.models import HelpRequest

logger = logging.getLogger(__name__)

WEEKS = 8
# The weekly figures change slowly; an organizer reloading the desk gets them from the cache.
CHART_CACHE_SECONDS = 60

# Chart geometry in SVG user units; the SVG scales to the width of its box.
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40


@dataclass
class WeekTimes:
    """Median and 90th percentile, in hours, of one week's requests (None: no request)."""

    start: datetime
    claim_median: float | None
    claim_p90: float | None
    delivery_median: float | None
    delivery_p90: float | None
    requests: int


def _median_p90(hours: list[float]) -> tuple[float | None, float | None]:
    if not hours:
        return None, None
    if len(hours) == 1:
        return hours[0], hours[0]
    return statistics.median(hours), statistics.quantiles(hours, n=10, method="inclusive")[8]


def weekly_times(*, group_ids, now: datetime | None = None) -> list[WeekTimes]:
    """Per week of creation, the last WEEKS weeks oldest first: hours from request to claim and
    from request to delivery (requests claimed or delivered so far; cancelled ones excluded).

    Cached for CHART_CACHE_SECONDS per set of groups and week: the figures are weekly, and a
    busy desk is reloaded often. One query when not cached: PostgreSQL computes the
    percentiles itself (percentile_cont, the same interpolation as statistics.quantiles'
    "inclusive" method); elsewhere (SQLite, the demo) three timestamps per request of the
    eight weeks come back and the percentiles are computed in Python.
    """
    now = now or timezone.now()
    _, this_week = day_and_week_start(now)
    starts = [this_week - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    ids = sorted(str(pk) for pk in group_ids)
    key = (
        "desk:weekly-times:"
        + hashlib.sha256(f"{starts[0].isoformat()}|{','.join(ids)}".encode()).hexdigest()[:32]
    )
    try:
        cached = cache.get(key)
    except Exception:  # the cache (Redis) down: compute, as if there were no cache
        logger.warning("desk chart cache unavailable; computing the chart")
        cached = None
    if cached is not None:
        return cached
    if connection.vendor == "postgresql":
        weeks = _weekly_times_sql(ids, starts)
    else:
        weeks = _weekly_times_python(ids, starts)
    try:
        cache.set(key, weeks, CHART_CACHE_SECONDS)
    except Exception:
        logger.warning("desk chart cache unavailable; chart not stored")
    return weeks


def _requests_of_the_weeks(group_ids, starts):
    return HelpRequest.objects.filter(
        block__group_id__in=list(group_ids),
        created_at__gte=starts[0],
        claimed_at__isnull=False,
    ).order_by()


# Served by the index hr_block_created (requests.models): each block's requests since a date.
_PERCENTILES_SQL = """
SELECT LEAST(FLOOR(EXTRACT(EPOCH FROM (r.created_at - %(start)s)) / 604800), %(last)s)::int,
       COUNT(*),
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (
           ORDER BY EXTRACT(EPOCH FROM (r.claimed_at - r.created_at))::float8 / 3600),
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (
           ORDER BY EXTRACT(EPOCH FROM (r.delivered_at - r.created_at))::float8 / 3600)
FROM {requests} r
JOIN {blocks} b ON b.id = r.block_id
WHERE b.group_id = ANY(%(groups)s::uuid[])
  AND r.created_at >= %(start)s
  AND r.claimed_at IS NOT NULL
GROUP BY 1
"""


def _weekly_times_sql(group_ids: list[str], starts: list[datetime]) -> list[WeekTimes]:
    """The weekly figures aggregated by PostgreSQL: eight rows instead of every request."""
    sql = _PERCENTILES_SQL.format(requests=HelpRequest._meta.db_table, blocks=Block._meta.db_table)
    found: dict[int, tuple] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, {"start": starts[0], "last": WEEKS - 1, "groups": group_ids})
        for index, count, claim, delivery in cursor.fetchall():
            # percentile_cont skips NULLs: delivery is NULL for an empty week's deliveries.
            found[index] = (count, claim or [None, None], delivery or [None, None])
    weeks = []
    for index, start in enumerate(starts):
        count, claim, delivery = found.get(index, (0, [None, None], [None, None]))
        weeks.append(WeekTimes(start, *claim, *delivery, count))
    return weeks


def _weekly_times_python(group_ids: list[str], starts: list[datetime]) -> list[WeekTimes]:
    rows = _requests_of_the_weeks(group_ids, starts).values_list(
        "created_at", "claimed_at", "delivered_at"
    )
    claims: list[list[float]] = [[] for _ in starts]
    deliveries: list[list[float]] = [[] for _ in starts]
    counts = [0] * WEEKS
    for created, claimed, delivered in rows:
        index = min(int((created - starts[0]) / timedelta(weeks=1)), WEEKS - 1)
        counts[index] += 1
        claims[index].append((claimed - created) / timedelta(hours=1))
        if delivered:
            deliveries[index].append((delivered - created) / timedelta(hours=1))
    weeks = []
    for index, start in enumerate(starts):
        claim = _median_p90(claims[index])
        delivery = _median_p90(deliveries[index])
        weeks.append(WeekTimes(start, *claim, *delivery, counts[index]))
    return weeks


@dataclass
class Series:
    label: str
    css_class: str
    marker: str  # "dot" or "square": the lines differ by shape and dashes, not colour only
    points: str  # "x,y x,y …" for a polyline


@dataclass
class Chart:
    """What the SVG template draws: axes ticks, week labels and one polyline per series."""

    width: int
    height: int
    left: int
    plot_right: int
    label_x: int
    week_y: int
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, datetime]]
    series: list[Series]
    empty: bool


def _nice_top(value: float) -> float:
    for top in (1, 2, 4, 6, 12, 24, 48, 72, 96, 168, 336):
        if value <= top:
            return top
    return float(int(value) + 1)


def build_chart(weeks: list[WeekTimes], fields: list[tuple[str, str, str]]) -> Chart:
    """Chart geometry for the given (attribute, label, css class) series of weekly values."""
    values = [getattr(w, name) for w in weeks for name, _, _ in fields]
    present = [v for v in values if v is not None]
    top = _nice_top(max(present)) if present else 1
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(weeks) - 1, 1)

    def x(i):
        return round(LEFT + i * step, 1)

    def y(v):
        return round(TOP + plot_h - v / top * plot_h, 1)

    series = []
    for name, label, css_class in fields:
        points = [(x(i), y(v)) for i, w in enumerate(weeks) if (v := getattr(w, name)) is not None]
        marker = "square" if css_class == "p90" else "dot"
        series.append(Series(label, css_class, marker, " ".join(f"{a},{b}" for a, b in points)))
    ticks = [(y(top * k / 4), _hours(top * k / 4)) for k in range(5)]
    return Chart(
        WIDTH,
        HEIGHT,
        LEFT,
        WIDTH - RIGHT,
        LEFT - 6,
        HEIGHT - 14,
        ticks,
        [(x(i), w.start) for i, w in enumerate(weeks)],
        series,
        not present,
    )


def _hours(value: float) -> str:
    return f"{value:g}"
