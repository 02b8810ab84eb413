"""Constants two layers share live once: the note length on the model, IN_HAND beside Status."""

import re
from pathlib import Path

import pytest

from requests.api.serializers import DeliverInput, ReasonInput
from requests.models import IN_HAND, NOTE_MAX_LENGTH, RequestEvent, Status
from volunteers.forms import DeliverForm, ReleaseForm, UndeliverableForm

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("covidarnost", "neighbors", "notifications", "requests", "users", "volunteers")


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda data: ReleaseForm(data=data), "reason"),
        (lambda data: UndeliverableForm(data=data), "reason"),
        (lambda data: DeliverForm(data=data), "note"),
        (lambda data: ReasonInput(data=data), "reason"),
        (lambda data: DeliverInput(data=data), "note"),
    ],
    ids=["web-release", "web-undeliverable", "web-deliver", "api-reason", "api-deliver"],
)
def test_web_and_api_take_the_same_longest_note(make, field):
    assert make({field: "я" * NOTE_MAX_LENGTH}).is_valid()
    too_long = make({field: "я" * (NOTE_MAX_LENGTH + 1)})
    assert not too_long.is_valid()
    assert field in too_long.errors


def test_the_event_stores_the_longest_note():
    assert RequestEvent._meta.get_field("note").max_length == NOTE_MAX_LENGTH


def test_in_hand_statuses_are_spelled_out_only_in_the_model():
    pair = re.compile(
        r"""Status\.CLAIMED,\s*Status\.BOUGHT|Status\.BOUGHT,\s*Status\.CLAIMED"""
        r"""|["']claimed["'],\s*["']bought["']\)|\(["']bought["'],\s*["']claimed["']"""
    )
    offenders = [
        str(path.relative_to(ROOT))
        for directory in SOURCE_DIRS
        for path in (ROOT / directory).rglob("*.py")
        if "migrations" not in path.parts and pair.search(path.read_text())
    ]
    assert offenders == ["requests/models.py"]
    assert {Status.CLAIMED, Status.BOUGHT} == IN_HAND
