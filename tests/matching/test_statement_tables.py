"""The one-statement matching SQL reads the tables of the models, never names typed in."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from recurring.models import RecurringOccurrence
from requests import matching
from requests.models import HelpRequest, Offer
from tests.conftest import pytest_collection_modifyitems
from users.models import User
from volunteers.models import Volunteer, WeeklySlot

SOURCE = Path(matching.__file__).read_text()


def test_statement_reads_each_models_table():
    tables = {
        Volunteer._meta.db_table,
        Volunteer.blocks.through._meta.db_table,
        User._meta.db_table,
        HelpRequest._meta.db_table,
        Offer._meta.db_table,
        RecurringOccurrence._meta.db_table,
        WeeklySlot._meta.db_table,
    }
    named = set(re.findall(r"(?:FROM|JOIN)\s+(?!LATERAL)(\w+)", matching._PG_STATEMENT))
    assert named == tables


@pytest.mark.parametrize(
    "table",
    [
        "volunteers_volunteer",
        "volunteers_weeklyslot",
        "users_user",
        "requests_helprequest",
        "requests_offer",
    ],
)
def test_no_table_name_is_typed_into_the_module(table):
    assert table not in SOURCE


def test_ci_refuses_to_skip_the_postgres_tests():
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    assert "export REQUIRE_POSTGRES=1" in ci


def test_require_postgres_fails_a_run_that_would_skip_them(monkeypatch):
    monkeypatch.setenv("REQUIRE_POSTGRES", "1")
    default = {**django_settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}
    monkeypatch.setitem(django_settings.DATABASES, "default", default)
    with pytest.raises(pytest.UsageError):
        pytest_collection_modifyitems(None, [])
