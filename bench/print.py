"""Time to make a 40-block print batch: a flyer and 10 request forms per block (440 pages).

    .venv/bin/python bench/print.py [--blocks 40] [--forms 10] [--runs 3]

Uses DATABASE_URL, or a fresh SQLite file under build/ when it is unset. Seeds one group with
the blocks, then runs the batch task's body (printing.services.print_batch_render: serials,
HTML, WeasyPrint layout, one PDF under MEDIA_ROOT) --runs times, and prints each run's time,
the best and the median (wall clock, and the CPU time of this process, which a busy shared
machine inflates less), for the way it runs (chunks of BATCH_CHUNK_BLOCKS blocks, progress
saved after each) and for one layout pass of the whole batch. The issue's bound is 10 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from _common import ROOT, boot

os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'build' / 'bench_print.sqlite3'}")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-print-media-"))
(ROOT / "build").mkdir(exist_ok=True)
boot(CELERY_TASK_ALWAYS_EAGER="1")

from django.core.management import call_command  # noqa: E402

from neighbors.models import Block, Group  # noqa: E402
from printing import services  # noqa: E402
from printing.models import PrintBatch  # noqa: E402
from users.models import Role, User  # noqa: E402

SLUG = "bench-print"


def seed(blocks: int) -> tuple[Group, list[Block], User]:
    group, _ = Group.objects.get_or_create(
        slug=SLUG, defaults={"name": "Чёрная речка", "hotline_phone": "+78123334455"}
    )
    existing = list(Block.objects.filter(group=group).order_by("code"))
    for index in range(len(existing), blocks):
        existing.append(
            Block.objects.create(
                group=group,
                code=f"CR{index:02d}",
                address=f"Торжковская ул., д. {index + 1}, корп. 2",
                latitude=59.99,
                longitude=30.31,
            )
        )
    organizer, _ = User.objects.get_or_create(
        username="bench-print-organizer", defaults={"role": Role.ORGANIZER, "group": group}
    )
    return group, existing[:blocks], organizer


def run_once(group, blocks, organizer, forms: int) -> tuple[float, float, int]:
    batch = PrintBatch.objects.create(
        group=group,
        forms_per_block=forms,
        language="ru",
        requested_by=organizer,
        blocks_total=len(blocks),
    )
    batch.blocks.set(blocks)
    started, cpu_started = time.perf_counter(), time.process_time()
    batch = services.print_batch_render(batch_id=batch.pk)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert batch.status == "done", batch.status
    size = batch.file.size
    batch.file.delete(save=False)
    return elapsed, cpu, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--blocks", type=int, default=40)
    parser.add_argument("--forms", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    group, blocks, organizer = seed(args.blocks)
    pages = args.blocks * (1 + args.forms)
    print(f"{args.blocks} blocks × (1 flyer + {args.forms} forms) = {pages} pages")
    run_once(group, blocks[:1], organizer, 1)  # warm-up: imports, fonts, templates
    chunk = services.BATCH_CHUNK_BLOCKS
    for label, chunk_blocks in ((f"chunks of {chunk} blocks", chunk), ("one pass", args.blocks)):
        services.BATCH_CHUNK_BLOCKS = chunk_blocks
        times, cpu_times = [], []
        for run in range(args.runs):
            elapsed, cpu, size = run_once(group, blocks, organizer, args.forms)
            times.append(elapsed)
            cpu_times.append(cpu)
            print(
                f"  {label}, run {run + 1}: {elapsed:.2f} s wall, {cpu:.2f} s CPU, "
                f"{size / 1024:.0f} KiB"
            )
        print(
            f"{label}: wall best {min(times):.2f} s, median {statistics.median(times):.2f} s; "
            f"CPU median {statistics.median(cpu_times):.2f} s "
            f"({1000 * statistics.median(cpu_times) / pages:.1f} ms a page)"
        )
    services.BATCH_CHUNK_BLOCKS = chunk


if __name__ == "__main__":
    main()
