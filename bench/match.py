"""Time the candidate computation of matching on 100k volunteers and 20k blocks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/covidarnost_bench \
        .venv/bin/python bench/match.py

Migrates the PostgreSQL database named by DATABASE_URL, seeds it once (10 groups, 20,000
blocks, 100,000 volunteers, 30% of them with weekly times, 5,000 tasks in hand; rerun with
--reseed to start over), then
computes the ranked candidates (requests.matching.rank_candidates: block volunteers, previous
helper, nearest by GiST KNN, scores; one SQL statement) for 1,000 requests and prints p50 and
p95, then the same through three ORM querysets (the path SQLite takes), and for a brute-force
scan (the nearest by sorting every eligible volunteer by distance).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time

from _common import boot, percentile, prepare, seeding

boot()

from django.db import connection  # noqa: E402

from covidarnost.geo import distance_expression, haversine_m  # noqa: E402
from neighbors.models import Block, Group, Neighbor  # noqa: E402
from requests import matching  # noqa: E402
from requests.code_words import new_code_word  # noqa: E402
from requests.models import HelpRequest, Status  # noqa: E402
from users.models import Role, User  # noqa: E402
from volunteers.models import Volunteer, VolunteerStatus, WeeklySlot  # noqa: E402

GROUPS = 10
BLOCKS = 20_000
VOLUNTEERS = 100_000
IN_HAND = 5_000
REQUESTS = 1_000
# Share of volunteers who give weekly times (weekday evenings and Saturday morning); outside
# them matching skips them, so the nearest-first walk goes further.
WITH_SLOTS = 0.3
SLOTS = [(day, dt.time(18), dt.time(21)) for day in range(5)] + [(5, dt.time(10), dt.time(14))]
# Moscow-sized area: groups are districts of about 10 × 10 km.
CITY = (55.60, 37.40)
SPREAD_DEG = 0.09


def seed(rng: random.Random) -> None:
    with seeding():
        groups = Group.objects.bulk_create(
            Group(name=f"Bench {index}", slug=f"bench-{index}") for index in range(GROUPS)
        )
        centres = [
            (CITY[0] + rng.uniform(0, 0.4), CITY[1] + rng.uniform(0, 0.6)) for _group in groups
        ]
        blocks = Block.objects.bulk_create(
            (
                Block(
                    group=groups[index % GROUPS],
                    code=f"B{index}",
                    address=f"Bench street {index}",
                    latitude=centres[index % GROUPS][0] + rng.uniform(-SPREAD_DEG, SPREAD_DEG),
                    longitude=centres[index % GROUPS][1] + rng.uniform(-SPREAD_DEG, SPREAD_DEG),
                )
                for index in range(BLOCKS)
            ),
            batch_size=5000,
        )
        users = User.objects.bulk_create(
            (
                User(
                    username=f"bench{index}",
                    password="!",  # unusable
                    group=groups[index % GROUPS],
                    role=Role.VOLUNTEER,
                )
                for index in range(VOLUNTEERS)
            ),
            batch_size=5000,
        )
        volunteers = []
        for index, user in enumerate(users):
            lat, lon = centres[index % GROUPS]
            verified = rng.random() < 0.85
            volunteers.append(
                Volunteer(
                    user=user,
                    status=VolunteerStatus.VERIFIED if verified else VolunteerStatus.PENDING,
                    verified_at="2024-01-01T00:00:00Z" if verified else None,
                    is_available=rng.random() < 0.8,
                    base_latitude=lat + rng.uniform(-SPREAD_DEG, SPREAD_DEG),
                    base_longitude=lon + rng.uniform(-SPREAD_DEG, SPREAD_DEG),
                    radius_km=rng.choice([None, None, 1, 2, 5]),
                    does_pharmacy=rng.random() < 0.5,
                    has_car=rng.random() < 0.2,
                    languages=rng.choice(["ru", "ru", "ru, en", "ru, uz"]),
                )
            )
        Volunteer.objects.bulk_create(volunteers, batch_size=5000)
        WeeklySlot.objects.bulk_create(
            (
                WeeklySlot(volunteer=volunteer, weekday=weekday, start=start, end=end)
                for volunteer in volunteers
                if rng.random() < WITH_SLOTS
                for weekday, start, end in SLOTS
            ),
            batch_size=10000,
        )
        # Each volunteer looks after one block of their group.
        by_group = {group.pk: [] for group in groups}
        for block in blocks:
            by_group[block.group_id].append(block)
        through = Volunteer.blocks.through
        through.objects.bulk_create(
            (
                through(volunteer_id=volunteer.pk, block_id=rng.choice(by_group[user.group_id]).pk)
                for volunteer, user in zip(volunteers, users, strict=True)
            ),
            batch_size=10000,
        )
        neighbors = Neighbor.objects.bulk_create(
            (Neighbor(block=rng.choice(blocks), name="-") for _index in range(REQUESTS)),
            batch_size=5000,
        )
        verified = [volunteer for volunteer in volunteers if volunteer.status == "verified"]
        HelpRequest.objects.bulk_create(
            (
                HelpRequest(
                    neighbor=neighbor,
                    block=neighbor.block,
                    kind="groceries",
                    details="-",
                    source="phone",
                    code_word=new_code_word(),
                    status=Status.CLAIMED,
                    volunteer=rng.choice(verified),
                )
                for neighbor in rng.choices(neighbors, k=IN_HAND)
            ),
            batch_size=5000,
        )
        HelpRequest.objects.bulk_create(
            (
                HelpRequest(
                    neighbor=neighbor,
                    block=neighbor.block,
                    kind=rng.choice(["groceries", "medicine", "errand"]),
                    details="-",
                    source="phone",
                    code_word=new_code_word(),
                    status=Status.OPEN,
                )
                for neighbor in neighbors
            ),
            batch_size=5000,
        )


def brute_force_nearest(queryset, *, latitude, longitude, radius_m, limit):
    """Every eligible volunteer of the group sorted by distance: no spatial index."""
    rows = (
        queryset.filter(base_latitude__isnull=False)
        .annotate(
            distance=distance_expression(latitude, longitude, "base_latitude", "base_longitude")
        )
        .order_by("distance")
        .values(*matching.FIELDS)
    )
    found = []
    for row in rows[: limit * 20]:
        distance = haversine_m(latitude, longitude, row["base_latitude"], row["base_longitude"])
        if distance <= radius_m and matching._within_own_radius(row, distance):
            found.append((distance, row))
    return sorted(found, key=lambda item: item[0])[:limit]


def measure(requests: list[HelpRequest], finder=None) -> list[float]:
    times = []
    for help_request in requests:
        started = time.perf_counter()
        matching.rank_candidates(help_request, finder=finder)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true", help="delete the bench data first")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("DATABASE_URL must name a PostgreSQL database (the bench measures its index).")
    prepare(slug="bench-", reseed=args.reseed, seed=seed, seeded_slug="bench-0")
    requests = list(
        HelpRequest.objects.filter(status=Status.OPEN, block__group__slug__startswith="bench-")
        .select_related("block__group", "neighbor")
        .order_by("pk")[:REQUESTS]
    )
    print(
        f"{Volunteer.objects.count()} volunteers, {Block.objects.count()} blocks, "
        f"{len(requests)} requests",
        flush=True,
    )
    report = [
        ("one SQL statement, GiST KNN on point (the code matching runs)", None, ""),
        (
            "three ORM querysets, same GiST KNN (the previous code)",
            matching.nearest_postgres,
            "orm ",
        ),
        (
            "brute-force scan (sort every eligible volunteer of the group by distance)",
            brute_force_nearest,
            "brute-force ",
        ),
    ]
    for title, finder, prefix in report:
        measure(requests[:50], finder)  # warm caches and connections
        times = measure(requests, finder)
        print(f"{title}:")
        print(f"{prefix}p50: {statistics.median(times):.2f} ms")
        print(f"{prefix}p95: {percentile(times, 0.95):.2f} ms", flush=True)


if __name__ == "__main__":
    main()
