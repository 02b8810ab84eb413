"""PostgreSQL computes candidates in one prepared statement; it must equal the ORM path.

The ORM path (three querysets, the one SQLite runs) is the reference: a Hypothesis test
builds random groups of volunteers (status, availability, group, own radius, block, open
tasks, declined offers, consultation skills, the neighbour's previous helper, weekly time
slots at a random moment of the week) and compares every field of every candidate.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from requests.matching import nearest_postgres, rank_candidates
from requests.models import HelpRequest, Kind, Offer, OfferStatus, Status
from tests import factories
from users.models import Role, User
from volunteers.models import END_OF_DAY, Volunteer, VolunteerStatus, WeeklySlot

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# Monday, Tuesday and Sunday: the start of the week, a day after it and the end of it.
SLOT_DAYS = (0, 1, 6)
volunteer_specs = st.lists(
    st.fixed_dictionaries(
        {
            "dlat": st.floats(-0.04, 0.04),
            "dlon": st.floats(-0.08, 0.08),
            "radius_km": st.one_of(st.none(), st.floats(0.3, 5.0)),
            "status": st.sampled_from([VolunteerStatus.VERIFIED] * 4 + [VolunteerStatus.PAUSED]),
            "available": st.sampled_from([True, True, True, False]),
            "active": st.sampled_from([True, True, True, False]),
            "other_group": st.sampled_from([False, False, False, True]),
            "in_block": st.sampled_from([False, False, True]),
            "open_tasks": st.integers(0, 2),
            "max_open_tasks": st.integers(1, 3),
            "declined": st.sampled_from([False, False, False, True]),
            "legal": st.booleans(),
            "psychological": st.booleans(),
            "has_base": st.sampled_from([True, True, True, False]),
            # (weekday, start hour, hours): none for half, so "no slots: any time" is common;
            # three days only, those of the moments below, so slots and moments meet often.
            "slots": st.one_of(
                st.just([]),
                st.lists(
                    st.tuples(st.sampled_from(SLOT_DAYS), st.integers(0, 23), st.integers(1, 10)),
                    max_size=4,
                ),
            ),
        }
    ),
    max_size=30,
)
RUNS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Rollback(Exception):
    pass


def _seed(group, other_group, block, specs):
    users = User.objects.bulk_create(
        User(
            username=f"s{index}",
            group=other_group if spec["other_group"] else group,
            role=Role.VOLUNTEER,
            is_active=spec["active"],
        )
        for index, spec in enumerate(specs)
    )
    volunteers = Volunteer.objects.bulk_create(
        Volunteer(
            user=user,
            status=spec["status"],
            verified_at="2024-01-01T00:00:00Z",
            is_available=spec["available"],
            base_latitude=block.latitude + spec["dlat"] if spec["has_base"] else None,
            base_longitude=block.longitude + spec["dlon"] if spec["has_base"] else None,
            radius_km=None if spec["radius_km"] is None else round(spec["radius_km"], 2),
            max_open_tasks=spec["max_open_tasks"],
            does_legal_consultation=spec["legal"],
            does_psychological_consultation=spec["psychological"],
        )
        for user, spec in zip(users, specs, strict=True)
    )
    for volunteer, spec in zip(volunteers, specs, strict=True):
        if spec["in_block"]:
            volunteer.blocks.add(block)
    WeeklySlot.objects.bulk_create(
        WeeklySlot(
            volunteer=volunteer,
            weekday=weekday,
            start=time(hour),
            end=time(hour + hours) if hour + hours < 24 else END_OF_DAY,
        )
        for volunteer, spec in zip(volunteers, specs, strict=True)
        # One slot per (weekday, start): the unique constraint.
        for (weekday, hour), hours in {(d, h): n for d, h, n in spec["slots"]}.items()
    )
    return volunteers


# Monday 30 November 2026 00:00 in the project's time zone; moments of SLOT_DAYS on whole
# hours (where slots start and end: the boundaries are hit exactly) or half past.
WEEK_START = datetime(2026, 11, 30)
moments = st.builds(
    lambda day, hour, minute: WEEK_START + timedelta(days=day, hours=hour, minutes=minute),
    st.sampled_from(SLOT_DAYS),
    st.integers(0, 23),
    st.sampled_from([0, 0, 30]),
)


def _describe(candidates):
    return [
        (
            str(candidate.volunteer_id),
            candidate.user_id,
            None if candidate.distance_m is None else round(candidate.distance_m, 6),
            candidate.open_tasks,
            candidate.max_open_tasks,
            candidate.same_block,
            candidate.helped_before,
            [str(skill) for skill in candidate.skills],
            candidate.language,
            round(candidate.score, 9),
        )
        for candidate in candidates
    ]


@RUNS
@given(
    specs=volunteer_specs,
    kind=st.sampled_from([Kind.GROCERIES, Kind.MEDICINE, Kind.CONSULTATION]),
    group_radius_km=st.floats(0.5, 6),
    previous=st.one_of(st.none(), st.integers(0, 29)),
    limit=st.integers(1, 25),
    moment=moments,
)
def test_single_statement_equals_the_orm_path(
    group, other_group, block, specs, kind, group_radius_km, previous, limit, moment
):
    now = timezone.make_aware(moment)
    try:
        with transaction.atomic():
            group.match_radius_km = Decimal(str(round(group_radius_km, 2)))
            group.save()
            volunteers = _seed(group, other_group, block, specs)
            neighbor = factories.NeighborFactory(block=block, language="uz")
            help_request = factories.HelpRequestFactory(neighbor=neighbor, kind=kind)
            for index, (volunteer, spec) in enumerate(zip(volunteers, specs, strict=True)):
                for _task in range(spec["open_tasks"]):
                    factories.HelpRequestFactory(
                        neighbor=neighbor, status=Status.CLAIMED, volunteer=volunteer
                    )
                if spec["declined"]:
                    Offer.objects.create(
                        help_request=help_request,
                        volunteer=volunteer,
                        rank=index + 1,
                        short_code=str(index),
                        status=OfferStatus.DECLINED,
                        expires_at=help_request.created_at,
                    )
            if previous is not None and previous < len(volunteers):
                factories.HelpRequestFactory(
                    neighbor=neighbor,
                    status=Status.DELIVERED,
                    volunteer=volunteers[previous],
                    delivered_at=neighbor.created_at,
                )
            help_request = HelpRequest.objects.select_related("block__group", "neighbor").get(
                pk=help_request.pk
            )

            got = rank_candidates(help_request, limit=limit, now=now)
            expected = rank_candidates(help_request, limit=limit, finder=nearest_postgres, now=now)

            assert _describe(got) == _describe(expected)
            # And both follow the slot rule as the model states it.
            for candidate in got:
                slots = WeeklySlot.objects.filter(volunteer_id=candidate.volunteer_id)
                assert not slots or any(slot.contains(moment) for slot in slots)
            raise Rollback
    except Rollback:
        pass


slot_lists = st.lists(
    st.lists(
        st.tuples(st.sampled_from(SLOT_DAYS), st.integers(0, 23), st.integers(1, 10)),
        max_size=4,
    ),
    min_size=1,
    max_size=20,
)


@RUNS
@given(slots=slot_lists, moment=moments, in_block=st.booleans())
def test_weekly_slots_decide_alike_on_both_paths(group, block, slots, moment, in_block):
    """Volunteers eligible in every other way (so each one's presence turns on the slots
    alone), with random slots, at a random moment: both paths give exactly the volunteers
    without slots or with one holding the moment (WeeklySlot.contains)."""
    now = timezone.make_aware(moment)
    specs = [
        {
            "other_group": False,
            "active": True,
            "status": VolunteerStatus.VERIFIED,
            "available": True,
            "has_base": True,
            "dlat": 0.001 * index,
            "dlon": 0.0,
            "radius_km": None,
            "max_open_tasks": 3,
            "legal": False,
            "psychological": False,
            "in_block": in_block,
            "slots": volunteer_slots,
        }
        for index, volunteer_slots in enumerate(slots)
    ]
    try:
        with transaction.atomic():
            volunteers = _seed(group, group, block, specs)
            neighbor = factories.NeighborFactory(block=block)
            help_request = HelpRequest.objects.select_related("block__group", "neighbor").get(
                pk=factories.HelpRequestFactory(neighbor=neighbor).pk
            )

            got = rank_candidates(help_request, limit=25, now=now)
            orm = rank_candidates(help_request, limit=25, finder=nearest_postgres, now=now)

            assert _describe(got) == _describe(orm)
            expected = {
                str(volunteer.pk)
                for volunteer in volunteers
                if not (own := list(volunteer.weekly_slots.all()))
                or any(slot.contains(moment) for slot in own)
            }
            assert {str(candidate.volunteer_id) for candidate in got} == expected
            raise Rollback
    except Rollback:
        pass


def _near_volunteers(group, block, count):
    for index in range(count):
        factories.VolunteerFactory(
            user__group=group,
            base_latitude=block.latitude + index * 0.0005,
            base_longitude=block.longitude,
        )


def _loaded(help_request):
    return HelpRequest.objects.select_related("block__group", "neighbor").get(pk=help_request.pk)


def test_one_query_per_match(group, block, help_request, django_assert_num_queries):
    _near_volunteers(group, block, 30)
    help_request = _loaded(help_request)
    rank_candidates(help_request)  # prepares the statement on this connection

    with django_assert_num_queries(1):
        candidates = rank_candidates(help_request)

    assert len(candidates) == 20
    assert candidates == rank_candidates(help_request, finder=nearest_postgres)


def test_without_prepared_statements_the_answer_is_the_same(group, block, help_request, settings):
    _near_volunteers(group, block, 30)
    help_request = _loaded(help_request)
    prepared = rank_candidates(help_request)
    settings.MATCHING = {**settings.MATCHING, "PREPARED": False}

    assert rank_candidates(help_request) == prepared
    assert len(prepared) == 20


@pytest.mark.django_db(transaction=True)
def test_a_statement_dropped_by_the_server_is_prepared_again(group, block, help_request):
    # A pooler or DISCARD ALL can drop prepared statements behind the application's back.
    _near_volunteers(group, block, 5)
    help_request = _loaded(help_request)
    first = rank_candidates(help_request)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")

    assert rank_candidates(help_request) == first
    assert len(first) == 5


@pytest.mark.parametrize("prepared", [True, False])
def test_the_statement_is_not_jit_compiled(group, block, help_request, settings, prepared):
    # Compiling cost ≈140 ms a match once the estimate passed jit_above_cost (requests.matching).
    settings.MATCHING = {**settings.MATCHING, "PREPARED": prepared}
    with connection.cursor() as cursor:
        cursor.execute("SET jit = on")
    _near_volunteers(group, block, 5)
    rank_candidates(_loaded(help_request))
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize("prepared", [True, False])
def test_the_statement_runs_without_parallel_workers(
    group, block, help_request, settings, prepared
):
    # A parallel sort of the group looked cheaper than the nearest-first walk to the generic
    # plan after a reseed of the bench (≈45 ms a match against ≈2 ms): requests.matching.
    settings.MATCHING = {**settings.MATCHING, "PREPARED": prepared}
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 2")
    _near_volunteers(group, block, 5)
    rank_candidates(_loaded(help_request))
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_each_match_is_planned_for_its_own_parameters(group, block, help_request, settings):
    # The generic plan, estimated without the parameters, flipped to a sort of the whole group
    # (requests.matching): the prepared statement is planned for each execution.
    settings.MATCHING = {**settings.MATCHING, "PREPARED": True}
    _near_volunteers(group, block, 5)
    rank_candidates(_loaded(help_request))
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_custom_plan"
