"""The CI script must end with the suite's own count and refuse a run with too few tests."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CI = ROOT / ".ci" / "run"


def test_suite_runs_after_every_other_tool():
    script = CI.read_text()
    suite = script.index("make test 2>&1")
    for other in (
        "scripts/api_fuzz.sh",
        "ruff check",
        "makemigrations --check",
        "check --deploy",
        "bandit",
    ):
        assert script.index(other) < suite, f"{other} runs after the suite and hides its count"


def test_floor_is_a_number_not_far_below_the_suite():
    floor = int((ROOT / ".ci" / "min-tests").read_text().strip())
    collected = subprocess.run(  # noqa: S603 (our own pytest, fixed arguments)
        [sys.executable, "-m", "pytest", "--collect-only", "-q", str(ROOT / "tests")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout
    match = re.search(r"(\d+) tests? collected", collected)
    assert match, collected[-500:]
    # The floor follows the suite: raise it when tests are added, so losing them fails CI.
    assert floor <= int(match.group(1)) <= floor + 400
