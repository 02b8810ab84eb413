"""What the bench scripts share: Django set up for a script, seeding steps, timing figures.

A script imports this before anything of Django's and calls boot():

    from _common import boot, percentile, prepare, run, seeding

    boot()  # or boot(DATABASE_URL=…, REDIS_URL=None): values a script forces (None: unset)

    from neighbors.models import Group  # noqa: E402

Run the scripts as `python bench/NAME.py` (bench/ is then on the import path).
"""

from __future__ import annotations

import contextlib
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_SECRET = "bench-only-secret-key-0123456789-0123456789-0123456789"
# The seed every bench's data comes from: reproducible data, not secrets.
SEED = 20200401
# Where the bench groups' blocks are: around Chyornaya Rechka, St Petersburg.
CENTRE = (59.99, 30.31)


def boot(**forced: str | None) -> None:
    """Set up Django for a script: the project on the path, the bench's default environment
    (settings module, a throwaway secret, plain HTTP for the test Client, no second factor),
    then forced values."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "covidarnost.settings")
    os.environ.setdefault("SECRET_KEY", BENCH_SECRET)
    # The test Client speaks plain HTTP to the app itself.
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    # The benches time pages, not the sign-in: their staff accounts have no second factor.
    os.environ.setdefault("TWO_FACTOR_REQUIRED", "0")
    for name, value in forced.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    import django

    django.setup()


# --- Timing ---------------------------------------------------------------------------------


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at this fraction of the sorted list (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def p50_p95(samples: list[float], *, unit: str = "ms", digits: int = 1) -> str:
    """ "p50 1.2 ms, p95 3.4 ms"."""
    return (
        f"p50 {statistics.median(samples):.{digits}f} {unit}, "
        f"p95 {percentile(samples, 0.95):.{digits}f} {unit}"
    )


# --- Seeding --------------------------------------------------------------------------------


def warn_unless_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the figure that counts is measured on PostgreSQL")


@contextlib.contextmanager
def seeding() -> Iterator[None]:
    """Seed in one transaction, then ANALYZE (the planner must know the new tables), timed."""
    from django.db import connection, transaction

    print("seeding…", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        yield
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded in {time.perf_counter() - started:.1f} s", flush=True)


def delete_bench_groups(slug: str) -> None:
    """Delete the groups whose slug starts with slug, with their requests, residents, users."""
    from django.db import transaction

    from neighbors.models import Block, Group, Neighbor
    from requests.models import HelpRequest, RequestEvent
    from users.models import User

    with transaction.atomic():
        groups = Group.objects.filter(slug__startswith=slug)
        RequestEvent.objects.filter(help_request__block__group__in=groups).delete()
        HelpRequest.objects.filter(block__group__in=groups).delete()
        Neighbor.objects.filter(block__group__in=groups).delete()
        User.objects.filter(group__in=groups).delete()
        Block.objects.filter(group__in=groups).delete()
        groups.delete()


def prepare(
    *,
    slug: str,
    reseed: bool,
    seed: Callable[[random.Random], None],
    forget: Callable[[], None] | None = None,
    seeded_slug: str | None = None,
) -> None:
    """Migrate; with reseed start over (the groups whose slug starts with `slug`; forget:
    what else the seed made); seed once (while the group `seeded_slug`, default `slug`, is
    missing)."""
    from django.core.management import call_command

    from neighbors.models import Group

    warn_unless_postgres()
    call_command("migrate", verbosity=0)
    if reseed:
        delete_bench_groups(slug)
        if forget is not None:
            forget()
    if not Group.objects.filter(slug=seeded_slug or slug).exists():
        seed(random.Random(SEED))  # noqa: S311 - reproducible data, not secrets


def bench_blocks(group, rng: random.Random, count: int, *, spread=(0.05, 0.1)) -> list:
    """count blocks of the group scattered around CENTRE (spread: degrees of lat, lon)."""
    from neighbors.models import Block

    return Block.objects.bulk_create(
        Block(
            group=group,
            code=f"B{index:04d}",
            address=f"Bench street {index + 1}",
            latitude=CENTRE[0] + rng.uniform(-spread[0], spread[0]),
            longitude=CENTRE[1] + rng.uniform(-spread[1], spread[1]),
        )
        for index in range(count)
    )


def bench_request(rng: random.Random, neighbor, *, status: str, **fields):
    """An unsaved HelpRequest for the neighbor: a random kind, "Bread, milk", a code word;
    fields override (source, volunteer, dates…)."""
    from requests.code_words import new_code_word
    from requests.models import HelpRequest, Kind, Source

    values = {
        "neighbor": neighbor,
        "block_id": neighbor.block_id,
        "kind": rng.choice(Kind.values),
        "details": "Bread, milk",
        "source": Source.PHONE,
        "code_word": new_code_word(),
        "status": status,
    }
    return HelpRequest(**{**values, **fields})


# --- Running --------------------------------------------------------------------------------


def run(main: Callable[[], None]) -> None:
    """Run main() with plain static storage: the manifest needs collectstatic, and
    {% static %} costs the same without it."""
    from django.test import override_settings

    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        main()
