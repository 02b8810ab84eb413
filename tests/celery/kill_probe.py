"""A task for the worker-kill tests, loaded into a real worker with `-I tests.celery.kill_probe`.

It tells the test through files that it started, then waits until the test lets it finish, so
the test can SIGKILL the worker while the task is certainly mid-way, with no timing guess:

    <dir>/started   one line per start (a redelivered task starts twice)
    <dir>/go        created by the test: the task may finish
    <dir>/effect    one line per finished run: the effect the test looks for
    <dir>/marker    written by `kill_marker`, queued after the probe, to know the queue was read

PROBE_ACKS_LATE=0 in the worker's environment turns acks_late off for this worker only; left
unset, the probe runs with the project's own setting (CELERY_TASK_ACKS_LATE).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from covidarnost.celery import app

if os.environ.get("PROBE_ACKS_LATE") == "0":
    app.conf.task_acks_late = False

# At most this long waiting for the test, so a test that died leaves no task spinning forever.
GO_TIMEOUT_SECONDS = 60


def _append(path: Path, line: str) -> None:
    with path.open("a") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())


# acks_late read here, once the override above is applied: the setting the worker runs with.
@app.task(name="tests.kill_probe", acks_late=app.conf.task_acks_late)
def kill_probe(directory: str) -> None:
    folder = Path(directory)
    _append(folder / "started", str(os.getpid()))
    deadline = time.monotonic() + GO_TIMEOUT_SECONDS
    while not (folder / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    _append(folder / "effect", str(os.getpid()))


@app.task(name="tests.kill_marker")
def kill_marker(directory: str) -> None:
    _append(Path(directory) / "marker", str(os.getpid()))
