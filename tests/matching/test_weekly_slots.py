"""Matching honours the weekly time slots volunteers give: with slots, offers only inside one
(in settings.TIME_ZONE); without, at any time. On SQLite the ORM path; with DATABASE_URL on
PostgreSQL the one-statement path too, which must give the same answer."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from requests.matching import nearest_postgres, rank_candidates
from requests.models import HelpRequest
from requests.offers import offer_make_next
from tests import factories
from volunteers.models import END_OF_DAY, WeeklySlot

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")
# A Wednesday (weekday 2), 19:30 in Moscow: 16:30 UTC.
WEDNESDAY_EVENING = datetime(2026, 12, 2, 19, 30, tzinfo=MOSCOW)
NEAR = {"base_latitude": 59.990, "base_longitude": 30.305}


@pytest.fixture(autouse=True)
def _moscow(settings):
    settings.TIME_ZONE = "Europe/Moscow"


def _volunteer(group, *slots):
    volunteer = factories.VolunteerFactory(user__group=group, **NEAR)
    for weekday, start, end in slots:
        WeeklySlot.objects.create(volunteer=volunteer, weekday=weekday, start=start, end=end)
    return volunteer


def _loaded(help_request):
    return HelpRequest.objects.select_related("block__group", "neighbor").get(pk=help_request.pk)


def _candidates(help_request, now):
    """The ids matching offers to at `now`; on PostgreSQL checked equal on both paths."""
    help_request = _loaded(help_request)
    got = {str(c.volunteer_id) for c in rank_candidates(help_request, now=now)}
    if connection.vendor == "postgresql":
        orm = rank_candidates(help_request, now=now, finder=nearest_postgres)
        assert got == {str(c.volunteer_id) for c in orm}
    return got


@pytest.fixture
def volunteers(group):
    return {
        "any time": _volunteer(group),
        "weekday evenings": _volunteer(group, *[(day, time(18), time(21)) for day in range(5)]),
        "saturday mornings": _volunteer(group, (5, time(10), time(14))),
        "wednesday until midnight": _volunteer(group, (2, time(20), END_OF_DAY)),
    }


def _names(volunteers, ids):
    return {name for name, volunteer in volunteers.items() if str(volunteer.pk) in ids}


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Inside Wednesday 18-21, outside the Saturday slot and the 20:00 start.
        (WEDNESDAY_EVENING, {"any time", "weekday evenings"}),
        # 18:00 is inside (start <= now), 21:00 is not (now < end).
        (WEDNESDAY_EVENING.replace(hour=18, minute=0), {"any time", "weekday evenings"}),
        (
            WEDNESDAY_EVENING.replace(hour=21, minute=0),
            {"any time", "wednesday until midnight"},
        ),
        (
            WEDNESDAY_EVENING.replace(hour=23, minute=59, second=59),
            {"any time", "wednesday until midnight"},
        ),
        # Saturday 11:00, and Saturday evening (weekday slots do not cover it).
        (datetime(2026, 12, 5, 11, 0, tzinfo=MOSCOW), {"any time", "saturday mornings"}),
        (datetime(2026, 12, 5, 19, 0, tzinfo=MOSCOW), {"any time"}),
        # The same instant written in UTC: slots are in the project's time zone.
        (datetime(2026, 12, 2, 16, 30, tzinfo=ZoneInfo("UTC")), {"any time", "weekday evenings"}),
    ],
)
def test_volunteers_with_slots_are_candidates_only_inside_one(
    help_request, volunteers, moment, expected
):
    assert _names(volunteers, _candidates(help_request, moment)) == expected


def test_another_time_zone_moves_the_slots(help_request, volunteers, settings):
    # 16:30 UTC is 21:30 in Yekaterinburg: past the weekday evening slot there.
    settings.TIME_ZONE = "Asia/Yekaterinburg"
    moment = datetime(2026, 12, 2, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert _names(volunteers, _candidates(help_request, moment)) == {
        "any time",
        "wednesday until midnight",
    }


def test_a_block_volunteer_outside_their_slot_is_not_offered_first(group, help_request):
    # Same block would put them first; outside their slot they are not a candidate at all.
    busy = _volunteer(group, (0, time(8), time(9)))
    busy.blocks.add(help_request.block)
    assert str(busy.pk) not in _candidates(help_request, WEDNESDAY_EVENING)
    assert str(busy.pk) in _candidates(help_request, datetime(2026, 11, 30, 8, 30, tzinfo=MOSCOW))


def test_slot_contains_is_the_rule_the_queries_apply():
    slot = WeeklySlot(weekday=2, start=time(18), end=time(21))
    assert slot.contains(WEDNESDAY_EVENING)
    assert not slot.contains(WEDNESDAY_EVENING.replace(hour=21))
    assert not slot.contains(datetime(2026, 12, 3, 19, 30, tzinfo=MOSCOW))


def test_the_offer_goes_to_whoever_is_inside_a_slot_now(group, block, help_request):
    _volunteer(group, (0, time(8), time(9)))  # Monday mornings only
    evening = _volunteer(group, (2, time(18), time(21)))
    with time_machine.travel(WEDNESDAY_EVENING, tick=False):
        outcome = offer_make_next(help_request_id=help_request.pk)
    assert outcome.offer is not None
    assert outcome.offer.volunteer_id == evening.pk


def test_nobody_inside_a_slot_means_no_offer(group, help_request):
    _volunteer(group, (0, time(8), time(9)))
    with time_machine.travel(WEDNESDAY_EVENING, tick=False):
        outcome = offer_make_next(help_request_id=help_request.pk)
    assert outcome.offer is None
