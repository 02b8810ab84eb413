"""The demo seeding is an app of its own, not part of the residents' domain."""

from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def test_seed_demo_command_belongs_to_the_demo_app():
    assert get_commands()["seed_demo"] == "demo"


def test_neighbors_holds_no_demo_seeding():
    assert not list((ROOT / "neighbors").glob("demo*.py"))
    assert not (ROOT / "neighbors" / "management").exists()
