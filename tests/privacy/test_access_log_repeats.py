"""Repeated views are one row: the same viewer, resident and channel within one slot of
ACCESS_LOG_REPEAT_SECONDS. A new slot, another channel or another viewer is a new row; a view
rolled back with its page is recorded next time; with the cache down every view is written."""

from contextlib import suppress
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction

from privacy.access_log import record_personal_data_view
from privacy.models import PersonalDataView, ViewChannel
from requests.services import help_request_claim
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

# The start of a 10-minute slot, so the steps below stay inside it or cross it on purpose.
SLOT_START = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _ten_minutes(settings):
    settings.ACCESS_LOG_REPEAT_SECONDS = 600


def _record(viewer, neighbor, channel=ViewChannel.API_TASK) -> int:
    return record_personal_data_view(viewer=viewer, neighbors=[neighbor], channel=channel)


def test_a_repeat_in_the_same_slot_is_not_a_second_row(
    volunteer, neighbor, django_capture_on_commit_callbacks
):
    with time_machine.travel(SLOT_START, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            assert _record(volunteer.user, neighbor) == 1
        with django_capture_on_commit_callbacks(execute=True):
            clock.shift(timedelta(minutes=9))
            assert _record(volunteer.user, neighbor) == 0
        with django_capture_on_commit_callbacks(execute=True):
            clock.shift(timedelta(minutes=2))  # the next slot
            assert _record(volunteer.user, neighbor) == 1
    assert PersonalDataView.objects.filter(neighbor_id=neighbor.pk).count() == 2


def test_another_channel_or_viewer_is_its_own_row(
    volunteer, organizer, neighbor, django_capture_on_commit_callbacks
):
    with time_machine.travel(SLOT_START, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert _record(volunteer.user, neighbor) == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert _record(volunteer.user, neighbor, ViewChannel.TASK_PAGE) == 1
            assert _record(organizer, neighbor) == 1
    assert PersonalDataView.objects.filter(neighbor_id=neighbor.pk).count() == 3


def test_a_view_rolled_back_is_recorded_next_time(
    volunteer, neighbor, django_capture_on_commit_callbacks
):
    with time_machine.travel(SLOT_START, tick=False):
        with (
            django_capture_on_commit_callbacks(execute=True),
            suppress(RuntimeError),
            transaction.atomic(),
        ):
            _record(volunteer.user, neighbor)
            raise RuntimeError("the page failed after the read")
        assert not PersonalDataView.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            assert _record(volunteer.user, neighbor) == 1


@pytest.mark.usefixtures("cache_down")
def test_every_view_is_written_with_the_cache_down(
    volunteer, neighbor, django_capture_on_commit_callbacks
):
    for _view in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert _record(volunteer.user, neighbor) == 1


def test_zero_seconds_writes_every_view(volunteer, neighbor, settings):
    settings.ACCESS_LOG_REPEAT_SECONDS = 0
    assert _record(volunteer.user, neighbor) == 1
    assert _record(volunteer.user, neighbor) == 1


def test_an_api_list_refreshed_writes_one_row_and_skips_the_insert(
    volunteer, help_request, settings, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.TASK_LIST_CACHE_SECONDS = 60
    help_request_claim(help_request=help_request, volunteer=volunteer)
    client = token_client(volunteer.user)
    with time_machine.travel(SLOT_START, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get("/api/v1/tasks/").status_code == 200
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/v1/tasks/").json()
    # The token and my task read live; no INSERT into the log.
    assert len(queries) == 2
    assert body["results"][0]["code_word"] == help_request.code_word
    assert PersonalDataView.objects.filter(neighbor_id=help_request.neighbor_id).count() == 1
