"""Build output stays out of the repository (.gitignore lists it)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_no_build_metadata_is_tracked():
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(  # noqa: S603 - git with fixed arguments
        [git, "ls-files", "--", "*.egg-info/*"], cwd=ROOT, capture_output=True, text=True
    )
    assert tracked.returncode == 0, tracked.stderr
    assert tracked.stdout == ""
