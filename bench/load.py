"""A load run anyone can repeat: volunteers browsing and racing for claims, operators entering
requests, against gunicorn + PostgreSQL + Redis + a real Celery worker, on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/covidarnost_load \
    REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/load.py [--seconds 60]

Seeds the database once (--reseed to start over): a group with 40 blocks, 200 volunteers,
5 operators, 10,000 delivered requests from the past and 500 open ones. Starts gunicorn
(WEB_CONCURRENCY, default 2 sync workers) and a Celery worker (2 processes) on that database
and Redis (FLUSHDB first: give it a Redis database of its own). Then for --seconds seconds,
50 volunteers open /tasks/, open a task among the first ones listed (so claims collide) and
claim it through the API now and then, while 5 operators create requests through
POST /api/v1/requests/. Stops by itself, stops the processes, and prints requests/s and
p50/p95/p99 per endpoint, errors (5xx, timeouts, unexpected statuses; a lost claim race is a
409 and counts apart), double claims (two successful claims of one request: must be 0), and
the time from each new request's creation to its first offer (p95 target < 1 s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import ROOT, bench_request, boot, percentile

BIN = Path(sys.executable).parent
GROUP_SLUG = "load-run"
BLOCKS, VOLUNTEERS, OPERATORS = 40, 200, 5
PAST_REQUESTS, OPEN_REQUESTS = 10_000, 500
BROWSING, CREATING = 50, 5
CENTRE = (59.99, 30.31)

os.environ.update(
    DJANGO_SETTINGS_MODULE="covidarnost.settings",
    DEBUG="0",
    SECURE_SSL_REDIRECT="0",
    ALLOWED_HOSTS="127.0.0.1,localhost",
    LOG_LEVEL="WARNING",
    CELERY_TASK_ALWAYS_EAGER="0",
    STATIC_ROOT=str(ROOT / "build" / "bench-static"),
    # The operators create faster than the production limits allow one person to.
    API_THROTTLE_CREATE_USER="100000/min",
    API_THROTTLE_CREATE_IP="100000/min",
    GUNICORN_ACCESS_LOG="0",
)
os.environ.setdefault("SECRET_KEY", "load-" + secrets.token_urlsafe(48))


def seed(rng: random.Random) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from neighbors.models import Block, Group, Neighbor
    from requests.models import HelpRequest, Status
    from users.models import Role, User
    from volunteers.models import Volunteer, VolunteerStatus

    print("seeding…", flush=True)
    now = timezone.now()
    with transaction.atomic():
        group = Group.objects.create(name="Load run", slug=GROUP_SLUG)
        blocks = Block.objects.bulk_create(
            Block(
                group=group,
                code=f"L{index:02d}",
                address=f"Load street {index + 1}",
                latitude=CENTRE[0] + rng.uniform(-0.02, 0.02),
                longitude=CENTRE[1] + rng.uniform(-0.04, 0.04),
            )
            for index in range(BLOCKS)
        )
        for index in range(OPERATORS):
            User.objects.create(
                username=f"load-operator{index}", group=group, role=Role.OPERATOR, password="!"
            )
        users = User.objects.bulk_create(
            User(username=f"load-volunteer{index}", group=group, role=Role.VOLUNTEER, password="!")
            for index in range(VOLUNTEERS)
        )
        volunteers = Volunteer.objects.bulk_create(
            Volunteer(
                user=user,
                status=VolunteerStatus.VERIFIED,
                verified_at=now,
                safety_protocol_accepted_at=now,
                max_open_tasks=3,
                base_latitude=CENTRE[0] + rng.uniform(-0.02, 0.02),
                base_longitude=CENTRE[1] + rng.uniform(-0.04, 0.04),
            )
            for user in users
        )
        through = Volunteer.blocks.through
        through.objects.bulk_create(
            through(volunteer_id=volunteer.pk, block_id=rng.choice(blocks).pk)
            for volunteer in volunteers
        )
        neighbors = Neighbor.objects.bulk_create(
            Neighbor(block=blocks[index % BLOCKS], name=f"Resident {index}", flat=str(index))
            for index in range(400)
        )

        def request(status, **fields):
            return bench_request(rng, rng.choice(neighbors), status=status, **fields)

        past = []
        for _index in range(PAST_REQUESTS):
            delivered = now - timedelta(days=rng.uniform(1, 365))
            past.append(
                request(
                    Status.DELIVERED,
                    volunteer=rng.choice(volunteers),
                    claimed_at=delivered - timedelta(hours=2),
                    delivered_at=delivered,
                )
            )
        HelpRequest.objects.bulk_create(past, batch_size=2000)
        HelpRequest.objects.bulk_create(
            (request(Status.OPEN) for _index in range(OPEN_REQUESTS)), batch_size=2000
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def credentials() -> tuple[list[tuple[str, str]], list[str], str]:
    """(session, token) per browsing volunteer, a token per operator, and the group's block ids."""
    from django.apps import apps
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from neighbors.models import Block
    from users.models import User

    def token(user):
        if apps.is_installed("knox"):
            from knox.models import AuthToken

            return AuthToken.objects.create(user)[1]
        from rest_framework.authtoken.models import Token

        return Token.objects.get_or_create(user=user)[0].key

    volunteers = []
    for user in User.objects.filter(username__startswith="load-volunteer").order_by("pk")[
        :BROWSING
    ]:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "users.backends.UsernameOrPhoneBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        volunteers.append((session.session_key, token(user)))
    operators = [token(user) for user in User.objects.filter(username__startswith="load-operator")]
    blocks = [
        str(pk) for pk in Block.objects.filter(group__slug=GROUP_SLUG).values_list("pk", flat=True)
    ]
    return volunteers, operators, blocks


class Stats:
    def __init__(self):
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.errors: dict[str, int] = defaultdict(int)
        self.claimed: dict[str, int] = defaultdict(int)
        self.created: list[str] = []

    def record(self, name: str, started: float, status: int) -> None:
        self.latencies[name].append((time.perf_counter() - started) * 1000)
        self.statuses[name][status] += 1


TASK_LINK = re.compile(r'href="/tasks/([0-9a-f-]{36})/"')


async def volunteer(client, session, token, stats: Stats, stop: float, rng: random.Random):
    page_headers = {"Cookie": f"sessionid={session}", "Accept-Language": "ru"}
    api_headers = {"Authorization": f"Token {token}"}
    while time.monotonic() < stop:
        try:
            started = time.perf_counter()
            response = await client.get("/tasks/", headers=page_headers)
            stats.record("GET /tasks/", started, response.status_code)
            ids = TASK_LINK.findall(response.text)
            if ids:
                task_id = rng.choice(ids[:5])  # the first ones listed: claims collide
                started = time.perf_counter()
                response = await client.get(f"/tasks/{task_id}/", headers=page_headers)
                stats.record("GET /tasks/<id>/", started, response.status_code)
                if rng.random() < 0.15:
                    started = time.perf_counter()
                    response = await client.post(
                        f"/api/v1/tasks/{task_id}/claim/", headers=api_headers, json={}
                    )
                    stats.record("POST /api/v1/tasks/<id>/claim/", started, response.status_code)
                    if response.status_code == 200:
                        stats.claimed[task_id] += 1
        except Exception as error:  # timeouts, resets: counted, the user goes on
            stats.errors[type(error).__name__] += 1
        await asyncio.sleep(rng.uniform(0.2, 0.6))  # reading the screen


async def operator(client, token, blocks, stats: Stats, stop: float, rng: random.Random):
    headers = {"Authorization": f"Token {token}"}
    while time.monotonic() < stop:
        payload = {
            "block": rng.choice(blocks),
            "kind": "groceries",
            "details": "Хлеб, молоко",
            "source": "phone",
            "neighbor": {"name": "Петрова Анна", "flat": str(rng.randint(1, 200))},
        }
        try:
            started = time.perf_counter()
            response = await client.post(
                "/api/v1/requests/",
                headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
                json=payload,
            )
            stats.record("POST /api/v1/requests/", started, response.status_code)
            if response.status_code == 201:
                stats.created.append(response.json()["id"])
        except Exception as error:
            stats.errors[type(error).__name__] += 1
        await asyncio.sleep(rng.uniform(0.5, 1.5))  # typing the next paper form


async def drive(base: str, seconds: int, volunteers, operators, blocks) -> tuple[Stats, float]:
    import httpx

    stats = Stats()
    rng = random.Random(7)  # noqa: S311 - load pattern, not secrets
    limits = httpx.Limits(max_connections=BROWSING + CREATING)
    async with httpx.AsyncClient(base_url=base, timeout=10, limits=limits) as client:
        started = time.monotonic()
        stop = started + seconds
        await asyncio.gather(
            *(
                volunteer(client, s, t, stats, stop, random.Random(rng.random()))
                for s, t in volunteers
            ),  # noqa: S311
            *(
                operator(client, t, blocks, stats, stop, random.Random(rng.random()))
                for t in operators
            ),  # noqa: S311
        )
        return stats, time.monotonic() - started


def offer_delays(created_ids: list[str], wait_seconds: float = 10) -> tuple[list[float], int]:
    """Seconds from each new request's creation to its first offer; and how many have none."""
    from django.db.models import Min

    from requests.models import HelpRequest

    deadline = time.monotonic() + wait_seconds
    while True:
        rows = list(
            HelpRequest.objects.filter(pk__in=created_ids)
            .annotate(first_offer=Min("offers__created_at"))
            .values_list("created_at", "first_offer")
        )
        missing = sum(1 for _created, offer in rows if offer is None)
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    delays = [(offer - created).total_seconds() for created, offer in rows if offer is not None]
    return delays, missing


def double_claims(since) -> int:
    """Requests claimed twice in the run without a release between: must be 0."""
    from django.db.models import Count, Q

    from requests.models import RequestEvent

    counts = (
        RequestEvent.objects.filter(created_at__gte=since)
        .values("help_request_id")
        .annotate(
            claims=Count("pk", filter=Q(action="claim")),
            gives_back=Count("pk", filter=Q(action__in=["release", "undeliverable"])),
        )
    )
    return sum(1 for row in counts if row["claims"] > row["gives_back"] + 1)


def start(argv: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    with open(log, "wb") as output:
        return subprocess.Popen(  # noqa: S603 - fixed arguments
            argv, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_all(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database of its own (it is seeded)")
    if not os.environ.get("REDIS_URL"):
        sys.exit("set REDIS_URL to a Redis database of its own (it is flushed)")
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit("terminated"))

    boot()
    import redis
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from neighbors.models import Group

    call_command("migrate", verbosity=0)
    # gunicorn serves the pages with the manifest of STATIC_ROOT (unchanged files are skipped).
    call_command("collectstatic", "--noinput", verbosity=0)
    if args.reseed:
        Group.objects.filter(slug=GROUP_SLUG).delete()
    if not Group.objects.filter(slug=GROUP_SLUG).exists():
        seed(random.Random(11))  # noqa: S311 - reproducible data
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    volunteers, operators, blocks = credentials()
    connection.close()

    port = 18000 + os.getpid() % 1000
    base = f"http://127.0.0.1:{port}"
    logs = ROOT / "build" / "load"
    logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    env.setdefault("WEB_CONCURRENCY", "2")
    processes = [
        start([str(BIN / "gunicorn"), "covidarnost.wsgi"], logs / "web.log", env),
        start(
            [
                str(BIN / "celery"),
                "-A",
                "covidarnost",
                "worker",
                "-l",
                "warning",
                "--concurrency=2",
                "--without-mingle",
                "--without-gossip",
            ],
            logs / "worker.log",
            env,
        ),
    ]
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or processes[0].poll() is not None:
                sys.exit(f"gunicorn did not come up; see {logs / 'web.log'}")
            time.sleep(0.5)
        time.sleep(3)  # the worker connects to Redis
        run_started = timezone.now()
        load_before = os.getloadavg()[0]
        print(f"running {args.seconds} s: {BROWSING} volunteers, {CREATING} operators…", flush=True)
        stats, elapsed = asyncio.run(drive(base, args.seconds, volunteers, operators, blocks))
        load_after = os.getloadavg()[0]
        delays, without_offer = offer_delays(stats.created)
        doubles_db = double_claims(run_started)
    finally:
        stop_all(processes)

    total = sum(len(samples) for samples in stats.latencies.values())
    print()
    print(
        f"{datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs, "
        f"load {load_before:.2f} before / {load_after:.2f} after; gunicorn "
        f"{env['WEB_CONCURRENCY']} sync workers, Celery worker 2 processes; {elapsed:.0f} s"
    )
    print(f"{'endpoint':34} {'req/s':>7} {'p50':>8} {'p95':>8} {'p99':>8}  statuses")
    for name, samples in sorted(stats.latencies.items()):
        statuses = ", ".join(f"{code}×{n}" for code, n in sorted(stats.statuses[name].items()))
        print(
            f"{name:34} {len(samples) / elapsed:7.1f} {statistics.median(samples):6.1f}ms "
            f"{percentile(samples, 0.95):6.1f}ms {percentile(samples, 0.99):6.1f}ms  {statuses}"
        )
    print(f"all endpoints: {total / elapsed:.1f} req/s")
    expected = {200, 201, 409}  # 409: a claim race lost, or the volunteer's limit reached
    unexpected = sum(
        n
        for counts in stats.statuses.values()
        for code, n in counts.items()
        if code not in expected
    )
    print(f"errors: {unexpected} unexpected statuses, transport {dict(stats.errors) or 0}")
    doubles_client = sum(1 for n in stats.claimed.values() if n > 1)
    print(f"double claims: {doubles_client} seen by clients, {doubles_db} in the event log")
    if delays:
        print(
            f"creation to first offer: {len(delays)} requests,"
            f" p50 {statistics.median(delays):.2f} s,"
            f" p95 {percentile(delays, 0.95):.2f} s, max {max(delays):.2f} s;"
            f" {without_offer} without an offer after 10 s"
        )
    else:
        print(f"creation to first offer: no offers ({without_offer} requests without one)")


if __name__ == "__main__":
    main()
