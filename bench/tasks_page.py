"""Server time of the volunteer's /tasks/ page with 10,000 open requests in the group.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/covidarnost_bench_web \
        .venv/bin/python bench/tasks_page.py

Migrates the database named by DATABASE_URL, seeds it once (a group with 400 blocks and
10,000 open requests, a second group with 5,000 so the group filter matters, and a volunteer
with three blocks and two tasks in hand; rerun with --reseed to start over), signs the
volunteer in with Django's test Client and requests /tasks/ (and the kind filter, and page 2)
--requests times after a warm-up. Prints p50 and p95 of the time the whole request takes in
the server process (middleware, view, SQL, template), and the SQL queries per request.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta

from _common import CENTRE, bench_blocks, bench_request, boot, p50_p95, prepare, run, seeding

boot()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from neighbors.models import Block, Group, Neighbor  # noqa: E402
from requests.models import HelpRequest, Source, Status, Urgency  # noqa: E402
from users.models import Role, User  # noqa: E402
from volunteers.models import Volunteer, VolunteerStatus  # noqa: E402

SLUG = "bench-web"
OPEN_REQUESTS = 10_000
OTHER_GROUP_REQUESTS = 5_000
BLOCKS = 400
SPREAD_DEG = 0.05


def _seed_group(rng: random.Random, slug: str, requests: int) -> tuple[Group, list[Block]]:
    group = Group.objects.create(name=f"Bench {slug}", slug=slug)
    blocks = bench_blocks(group, rng, BLOCKS, spread=(SPREAD_DEG, SPREAD_DEG * 2))
    neighbors = Neighbor.objects.bulk_create(
        Neighbor(block=block, name=f"Resident {index}", flat=str(index % 200 + 1))
        for index, block in enumerate(blocks * 5)
    )
    now = timezone.now()
    HelpRequest.objects.bulk_create(
        (
            bench_request(
                rng,
                neighbor,
                status=Status.OPEN,
                urgency=Urgency.URGENT if rng.random() < 0.1 else Urgency.NORMAL,
                details="Bread, milk, buckwheat",
                source=Source.PAPER_FORM,
                due_at=now + timedelta(hours=rng.randint(1, 72)),
            )
            for neighbor in (rng.choice(neighbors) for _ in range(requests))
        ),
        batch_size=2000,
    )
    return group, blocks


def seed(rng: random.Random) -> None:
    with seeding():
        # Two of them become the volunteer's tasks in hand; 10,000 stay open.
        group, blocks = _seed_group(rng, SLUG, OPEN_REQUESTS + 2)
        _seed_group(rng, f"{SLUG}-other", OTHER_GROUP_REQUESTS)
        user = User.objects.create(username="bench-volunteer", group=group, role=Role.VOLUNTEER)
        volunteer = Volunteer.objects.create(
            user=user,
            status=VolunteerStatus.VERIFIED,
            verified_at=timezone.now(),
            safety_protocol_accepted_at=timezone.now(),
            base_latitude=CENTRE[0],
            base_longitude=CENTRE[1],
            max_open_tasks=5,
            max_open_tasks_allowed=5,
        )
        volunteer.blocks.add(*blocks[:3])
        for help_request in HelpRequest.objects.filter(block__group=group)[:2]:
            HelpRequest.objects.filter(pk=help_request.pk).update(
                status=Status.CLAIMED, volunteer=volunteer, claimed_at=timezone.now()
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    prepare(slug=SLUG, reseed=args.reseed, seed=seed)

    user = User.objects.get(username="bench-volunteer")
    open_count = HelpRequest.objects.filter(block__group__slug=SLUG, status=Status.OPEN).count()
    print(f"{open_count} open requests in the volunteer's group")

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    urls = ["/tasks/", "/tasks/?kind=medicine", "/tasks/?page=2"]
    for _ in range(10):  # warm-up: connections, template cache, PostgreSQL buffers
        for url in urls:
            assert client.get(url).status_code == 200

    samples: list[float] = []
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/tasks/")
    query_count, size = len(queries), len(response.content)
    for index in range(args.requests):
        started = time.perf_counter()
        response = client.get(urls[index % len(urls)])
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    print(f"/tasks/: {len(samples)} requests, {query_count} SQL queries each, {size} bytes HTML")
    print(p50_p95(samples))


if __name__ == "__main__":
    run(main)
