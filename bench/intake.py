"""Phone lookup at the intake desk with 10,000 residents in the group.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/covidarnost_bench_intake \
        .venv/bin/python bench/intake.py

Migrates the database named by DATABASE_URL, seeds it once (a group with 400 blocks, 10,000
residents with mobile numbers and 20,000 requests in every state; a second group with 5,000
residents, so the group filter matters; an operator; rerun with --reseed to start over), then
looks up --lookups random residents by phone, each number typed a different common way
(8 921 …, +7 (921) …, 921…). Prints p50 and p95 of:

- the lookup itself (normalising the typed number, intake.selectors.residents_by_phone with
  open and last three closed requests), target p95 < 50 ms;
- the whole /intake/?phone=… page in the server process (middleware, view, SQL, template);

and PostgreSQL's plan for the phone query (it must use the neighbor_phone index).
"""

from __future__ import annotations

import argparse
import random
import time

from _common import bench_blocks, bench_request, boot, p50_p95, prepare, run, seeding

boot()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from covidarnost.phones import normalize_phone  # noqa: E402
from intake.selectors import residents_by_phone  # noqa: E402
from neighbors.models import Group, Neighbor  # noqa: E402
from requests.models import HelpRequest, Status  # noqa: E402
from users.models import Role, User  # noqa: E402

SLUG = "bench-intake"
RESIDENTS = 10_000
OTHER_GROUP_RESIDENTS = 5_000
REQUESTS = 20_000
BLOCKS = 400
STATUSES = [Status.OPEN, Status.DELIVERED, Status.DELIVERED, Status.CANCELLED]


def _phone(index: int, group_offset: int) -> str:
    return f"+79{(group_offset + index) * 7919 % 10**9:09d}"


def _seed_group(rng: random.Random, slug: str, residents: int, offset: int, requests: int):
    group = Group.objects.create(name=f"Bench {slug}", slug=slug)
    blocks = bench_blocks(group, rng, BLOCKS)
    neighbors = Neighbor.objects.bulk_create(
        (
            Neighbor(
                block=blocks[index % BLOCKS],
                name=f"Resident {index}",
                flat=str(index % 200 + 1),
                phone=_phone(index, offset),
            )
            for index in range(residents)
        ),
        batch_size=2000,
    )
    HelpRequest.objects.bulk_create(
        (
            bench_request(rng, neighbor, status=Status.OPEN)
            for neighbor in (rng.choice(neighbors) for _ in range(requests))
        ),
        batch_size=2000,
    )
    # Closed ones need their dates (constraints); spread the states over the requests.
    ids = list(HelpRequest.objects.filter(block__group=group).values_list("pk", flat=True))
    for status in (Status.DELIVERED, Status.CANCELLED):
        chosen = rng.sample(ids, len(ids) // 3)
        ids = [pk for pk in ids if pk not in set(chosen)]
        if status == Status.DELIVERED:
            continue  # delivered needs a volunteer; cancelled shows the same "closed" path
        HelpRequest.objects.filter(pk__in=chosen).update(status=status)
    return group


def seed(rng: random.Random) -> None:
    with seeding():
        group = _seed_group(rng, SLUG, RESIDENTS, 0, REQUESTS)
        _seed_group(rng, f"{SLUG}-other", OTHER_GROUP_RESIDENTS, RESIDENTS, REQUESTS // 2)
        User.objects.create(username="bench-operator", group=group, role=Role.OPERATOR)


def spellings(e164: str) -> list[str]:
    """How a caller or an operator types +79211234567."""
    n = e164[2:]
    return [
        f"8 {n[:3]} {n[3:6]}-{n[6:8]}-{n[8:]}",
        f"+7 ({n[:3]}) {n[3:6]}-{n[6:8]}-{n[8:]}",
        n,
        f"8{n}",
        f"7 {n[:3]} {n[3:]}",
    ]


def _report(name: str, samples: list[float]) -> None:
    print(f"{name}: {len(samples)} lookups, {p50_p95(samples, digits=2)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    prepare(slug=SLUG, reseed=args.reseed, seed=seed)

    group = Group.objects.get(slug=SLUG)
    print(f"{Neighbor.objects.filter(block__group=group).count()} residents in the group")
    rng = random.Random(7)  # noqa: S311
    typed = [
        rng.choice(spellings(_phone(rng.randrange(RESIDENTS), 0))) for _ in range(args.lookups)
    ]

    for number in typed[:20]:  # warm-up: connection, PostgreSQL buffers
        residents_by_phone(group=group, phone=normalize_phone(number))
    samples, found = [], 0
    for number in typed:
        started = time.perf_counter()
        matches = residents_by_phone(group=group, phone=normalize_phone(number))
        samples.append((time.perf_counter() - started) * 1000)
        found += bool(matches)
    assert found == len(typed), f"only {found} of {len(typed)} found"
    _report("lookup (normalise + residents_by_phone)", samples)

    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username="bench-operator"))
    for number in typed[:20]:
        assert client.get("/intake/", {"phone": number}).status_code == 200
    page_samples = []
    for number in typed:
        started = time.perf_counter()
        response = client.get("/intake/", {"phone": number})
        page_samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    # The page's query count is asserted constant in tests/intake/test_desk_lookup.py.
    _report("/intake/?phone=… page", page_samples)

    if connection.vendor == "postgresql":
        queryset = Neighbor.objects.filter(block__group=group, phone=normalize_phone(typed[0]))
        print("plan of the phone query:")
        print(queryset.explain())


if __name__ == "__main__":
    run(main)
