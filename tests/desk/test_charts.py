"""The desk's weekly response times: PostgreSQL's percentile_cont and the Python fallback agree,
and the figures are cached per set of groups for a minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from desk import charts
from desk.selectors import day_and_week_start
from requests.models import HelpRequest
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def eight_weeks(group, block, volunteer):
    """Claimed and delivered requests spread over the chart's weeks, with uneven times."""
    now = timezone.now()
    _today, week = day_and_week_start(now)
    start = week - timedelta(weeks=charts.WEEKS - 1)
    for n in range(40):
        created = start + timedelta(hours=n * 37 % (24 * 7 * charts.WEEKS - 1))
        if created >= now:
            continue
        help_request = factories.HelpRequestFactory(neighbor__block=block)
        HelpRequest.objects.filter(pk=help_request.pk).update(
            created_at=created,
            claimed_at=created + timedelta(minutes=7 + n * n % 300),
            delivered_at=(created + timedelta(minutes=60 + n * 13 % 700)) if n % 3 else None,
            volunteer=volunteer,
            status="delivered" if n % 3 else "claimed",
        )
    # Older than the chart: not counted.
    old = factories.HelpRequestFactory(neighbor__block=block)
    HelpRequest.objects.filter(pk=old.pk).update(
        created_at=start - timedelta(days=1), claimed_at=start
    )
    return now


def _figures(weeks):
    return [
        (
            w.start,
            w.requests,
            *(
                None if v is None else round(v, 6)
                for v in (w.claim_median, w.claim_p90, w.delivery_median, w.delivery_p90)
            ),
        )
        for w in weeks
    ]


@pytest.mark.postgres
def test_postgresql_percentiles_equal_the_python_ones(group, eight_weeks):
    _today, week = day_and_week_start(eight_weeks)
    starts = [week - timedelta(weeks=n) for n in range(charts.WEEKS - 1, -1, -1)]
    ids = [str(group.pk)]

    in_sql = charts._weekly_times_sql(ids, starts)
    in_python = charts._weekly_times_python(ids, starts)

    assert _figures(in_sql) == _figures(in_python)
    assert sum(w.requests for w in in_sql) > 20
    assert any(w.delivery_p90 is not None for w in in_sql)


def test_weekly_times_are_cached_per_group_for_a_minute(
    group, other_group, eight_weeks, django_assert_num_queries
):
    first = charts.weekly_times(group_ids=[group.pk], now=eight_weeks)
    with django_assert_num_queries(0):
        again = charts.weekly_times(group_ids=[group.pk], now=eight_weeks)
    assert _figures(again) == _figures(first)
    # Another group's desk is its own entry.
    with django_assert_num_queries(1):
        other = charts.weekly_times(group_ids=[other_group.pk], now=eight_weeks)
    assert sum(w.requests for w in other) == 0
    assert charts.CHART_CACHE_SECONDS == 60
