"""Server time of /dashboard/ with a year of data for a 40-block group of 50 volunteers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/covidarnost_bench_desk \
        .venv/bin/python bench/dashboard.py

Migrates the database named by DATABASE_URL, seeds it once (rerun with --reseed to start over):
a network of two groups, each with 40 blocks, 400 residents (40 isolated), 50 volunteers and a
year of requests (30 a day: mostly delivered, some cancelled, reimbursements owed, the last
day's still open or in hand) with their history. Signs the organizer in with Django's test
Client and requests /dashboard/ --requests times after a warm-up, then the same for the
network coordinator (both groups). Prints p50 and p95 of the time the whole request takes in
the server process (middleware, view, SQL, template) and the SQL queries per request.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta
from decimal import Decimal

from _common import bench_blocks, bench_request, boot, p50_p95, prepare, run, seeding

boot()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from neighbors.models import Group, Neighbor, Network  # noqa: E402
from requests.models import (  # noqa: E402
    HelpRequest,
    PaidBy,
    RequestEvent,
    Source,
    Status,
)
from users.models import Role, User  # noqa: E402
from volunteers.models import Volunteer, VolunteerStatus  # noqa: E402

SLUG = "bench-desk"
BLOCKS = 40
VOLUNTEERS = 50
PER_DAY = 30
DAYS = 365


def _seed_group(rng: random.Random, network: Network, slug: str) -> Group:
    now = timezone.now()
    group = Group.objects.create(name=f"Bench {slug}", slug=slug, network=network)
    blocks = bench_blocks(group, rng, BLOCKS, spread=(0.01, 0.02))
    neighbors = Neighbor.objects.bulk_create(
        Neighbor(
            block=block,
            name=f"Resident {index}",
            flat=str(index % 200 + 1),
            is_isolated=index % 10 == 0,
            consent_to_contact=True,
            last_contact_at=now - timedelta(days=rng.randint(0, 20)),
        )
        for index, block in enumerate(blocks * 10)
    )
    users = User.objects.bulk_create(
        User(username=f"{slug}-v{n}", group=group, role=Role.VOLUNTEER) for n in range(VOLUNTEERS)
    )
    volunteers = Volunteer.objects.bulk_create(
        Volunteer(
            user=user,
            status=VolunteerStatus.PENDING if n >= 46 else VolunteerStatus.VERIFIED,
            verified_at=None if n >= 46 else now - timedelta(days=300),
            safety_protocol_accepted_at=now,
        )
        for n, user in enumerate(users)
    )
    Through = Volunteer.blocks.through
    Through.objects.bulk_create(
        Through(volunteer_id=volunteers[n].pk, block_id=blocks[n % (BLOCKS - 3)].pk)
        for n in range(46)
    )
    active = volunteers[:46]
    requests, events = [], []
    for day in range(DAYS, -1, -1):
        for _ in range(PER_DAY):
            created = now - timedelta(days=day, minutes=rng.randint(0, 1439))
            if created > now:
                created = now - timedelta(minutes=1)
            neighbor = rng.choice(neighbors)
            volunteer = rng.choice(active)
            roll = rng.random()
            if day == 0 and roll < 0.4:
                status, holder = Status.OPEN, None
            elif day == 0 and roll < 0.7:
                status, holder = Status.CLAIMED, volunteer
            elif roll < 0.05:
                status, holder = Status.CANCELLED, None
            else:
                status, holder = Status.DELIVERED, volunteer
            claimed = created + timedelta(minutes=rng.randint(5, 300)) if holder else None
            delivered = (
                claimed + timedelta(minutes=rng.randint(20, 600))
                if status == Status.DELIVERED
                else None
            )
            if delivered and delivered > now:
                delivered = now
            pays = status == Status.DELIVERED and rng.random() < 0.3
            help_request = bench_request(
                rng,
                neighbor,
                status=status,
                source=Source.PAPER_FORM,
                volunteer=holder,
                claimed_at=claimed,
                delivered_at=delivered,
                cancelled_at=created + timedelta(hours=1) if status == Status.CANCELLED else None,
                spent=Decimal(rng.randint(100, 3000)) if pays else None,
                paid_by=PaidBy.VOLUNTEER if pays else "",
                reimbursed_at=delivered + timedelta(days=3) if pays and day > 10 else None,
            )
            help_request.created_at = created
            requests.append(help_request)
    planned = [r.created_at for r in requests]
    HelpRequest.objects.bulk_create(requests, batch_size=2000)
    # auto_now_add overwrote created_at on save: put the planned times back.
    for help_request, created in zip(requests, planned, strict=True):
        help_request.created_at = created
    HelpRequest.objects.bulk_update(requests, ["created_at"], batch_size=2000)
    for help_request in requests:
        steps = [("create", "", Status.OPEN, help_request.created_at, None)]
        if help_request.claimed_at:
            steps.append(
                ("claim", Status.OPEN, Status.CLAIMED, help_request.claimed_at, help_request)
            )
        if help_request.delivered_at:
            delivered = help_request.delivered_at
            steps.append(("deliver", Status.CLAIMED, Status.DELIVERED, delivered, help_request))
        for action, source, target, when, holder in steps:
            event = RequestEvent(
                help_request=help_request,
                actor_id=holder.volunteer.user_id if holder else None,
                action=action,
                from_status=source,
                to_status=target,
            )
            event.created_at = when
            events.append(event)
    planned = [e.created_at for e in events]
    RequestEvent.objects.bulk_create(events, batch_size=5000)
    for event, created in zip(events, planned, strict=True):
        event.created_at = created
    RequestEvent.objects.bulk_update(events, ["created_at"], batch_size=5000)
    User.objects.create(
        username=f"{slug}-organizer", group=group, role=Role.ORGANIZER, is_staff=True
    )
    return group


def seed(rng: random.Random) -> None:
    with seeding():
        network = Network.objects.create(name="Bench desk network")
        _seed_group(rng, network, SLUG)
        _seed_group(rng, network, f"{SLUG}-other")
        User.objects.create(
            username=f"{SLUG}-coordinator", role=Role.COORDINATOR, network=network, is_staff=True
        )


def measure(username: str, count: int) -> None:
    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username=username))
    for _ in range(10):  # warm-up: connections, template cache, PostgreSQL buffers
        assert client.get("/dashboard/").status_code == 200
    queries: list[str] = []

    def log_query(execute, sql, params, many, context):
        # CaptureQueriesContext sees nothing here: request_started resets the query log.
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log_query):
        response = client.get("/dashboard/")
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get("/dashboard/")
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    print(
        f"/dashboard/ as {username}: {count} requests, {len(queries)} SQL queries each, "
        f"{len(response.content)} bytes HTML"
    )
    print(f"  {p50_p95(samples)}")


def _forget() -> None:
    """What the seed makes beside the groups."""
    User.objects.filter(username=f"{SLUG}-coordinator").delete()
    Network.objects.filter(name="Bench desk network").delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    prepare(slug=SLUG, reseed=args.reseed, seed=seed, forget=_forget)

    total = HelpRequest.objects.filter(block__group__slug=SLUG).count()
    print(f"{total} requests in the organizer's group, {BLOCKS} blocks, {VOLUNTEERS} volunteers")
    measure(f"{SLUG}-organizer", args.requests)
    measure(f"{SLUG}-coordinator", args.requests)


if __name__ == "__main__":
    run(main)
