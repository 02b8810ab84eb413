"""Hotline calls and recurring requests hold residents' details too: the short-memory rule,
the per-person export and erasure, and the log of who saw them cover them like requests."""

import json
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from hotline.models import CallLog, CallTopic
from hotline.services import call_log_create, call_log_mark_done
from neighbors.models import Neighbor
from privacy.models import PersonalDataView, ViewChannel
from privacy.person_data import resident_erase, resident_export
from privacy.retention import personal_data_purge
from recurring.models import RecurringRequest, RecurringState
from recurring.services import recurring_request_create, recurring_request_stop
from tests import factories

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SAID = "Иванова из кв. 12 просит перезвонить"


@pytest.fixture
def neighbor(block):
    with time_machine.travel(START, tick=False):
        return factories.NeighborFactory(block=block)


def _call(operator, neighbor, **kwargs):
    with time_machine.travel(START, tick=False):
        return call_log_create(
            actor=operator, topic=CallTopic.QUESTION, text=SAID, neighbor=neighbor, **kwargs
        )


def _recurring(operator, neighbor, *, stop=False):
    with time_machine.travel(START, tick=False):
        recurring = recurring_request_create(
            actor=operator,
            neighbor=neighbor,
            kind="groceries",
            details="Хлеб для Ивановой",
            weekday=1,
            at=time(12, 0),
        )
        if stop:
            recurring_request_stop(recurring=recurring, actor=operator)
    return recurring


def purge_at(moment, **kwargs):
    with time_machine.travel(moment, tick=False):
        return personal_data_purge(**kwargs)


# --- Short memory --------------------------------------------------------------------------


def test_a_call_loses_what_was_said_after_the_groups_period(operator, neighbor, group):
    call = _call(operator, neighbor)
    assert purge_at(START + timedelta(days=29)).calls_anonymised == 0
    report = purge_at(START + timedelta(days=31))
    assert report.calls_anonymised == 1
    call.refresh_from_db()
    assert call.text == "" and call.neighbor_id is None and call.anonymised_at is not None
    # The facts stay.
    assert call.topic == CallTopic.QUESTION and call.group_id == group.pk
    # A second run finds nothing left.
    assert purge_at(START + timedelta(days=32)).calls_anonymised == 0


def test_a_call_waiting_for_its_follow_up_is_kept_then_counts_from_done(operator, neighbor):
    call = _call(operator, neighbor, follow_up=True)
    assert purge_at(START + timedelta(days=100)).calls_anonymised == 0
    with time_machine.travel(START + timedelta(days=100), tick=False):
        call_log_mark_done(call=call, actor=operator)
    assert purge_at(START + timedelta(days=129)).calls_anonymised == 0
    assert purge_at(START + timedelta(days=131)).calls_anonymised == 1


def test_the_groups_setting_is_the_one_period_for_calls_too(operator, neighbor, group):
    group.anonymise_after_days = 7
    group.save()
    _call(operator, neighbor)
    assert purge_at(START + timedelta(days=8)).calls_anonymised == 1


def test_a_stopped_recurring_request_loses_resident_and_text(operator, neighbor):
    running = _recurring(operator, neighbor)
    stopped = _recurring(operator, neighbor, stop=True)
    assert purge_at(START + timedelta(days=29)).recurring_anonymised == 0
    assert purge_at(START + timedelta(days=31)).recurring_anonymised == 1
    stopped.refresh_from_db()
    running.refresh_from_db()
    assert stopped.neighbor_id is None and stopped.details == ""
    assert stopped.kind == "groceries" and stopped.state == RecurringState.STOPPED
    assert running.neighbor_id == neighbor.pk and running.details


def test_a_running_recurring_request_keeps_its_resident(operator, neighbor):
    _recurring(operator, neighbor)
    report = purge_at(START + timedelta(days=400))
    assert report.residents_deleted == 0
    assert Neighbor.objects.filter(pk=neighbor.pk).exists()


def test_a_deleted_resident_takes_calls_and_stopped_recurring_with_them(operator, neighbor):
    call = _call(operator, neighbor, follow_up=True)  # still waiting: kept by the call rule
    recurring = _recurring(operator, neighbor, stop=True)
    report = purge_at(START + timedelta(days=181))
    assert report.residents_deleted == 1
    assert not Neighbor.objects.filter(pk=neighbor.pk).exists()
    call.refresh_from_db()
    recurring.refresh_from_db()
    assert call.text == "" and call.neighbor_id is None
    assert recurring.details == "" and recurring.neighbor_id is None


def test_dry_run_counts_calls_and_recurring_and_changes_nothing(operator, neighbor):
    call = _call(operator, neighbor)
    _recurring(operator, neighbor, stop=True)
    report = purge_at(START + timedelta(days=31), dry_run=True)
    assert (report.calls_anonymised, report.recurring_anonymised) == (1, 1)
    call.refresh_from_db()
    assert call.text == SAID


# --- Per person ----------------------------------------------------------------------------


def test_export_holds_the_residents_calls_and_recurring_requests(organizer, operator, neighbor):
    _call(operator, neighbor)
    _recurring(operator, neighbor)
    data = json.loads(json.dumps(resident_export(resident=neighbor, actor=organizer), default=str))
    assert [call["text"] for call in data["hotline_calls"]] == [SAID]
    assert [row["details"] for row in data["recurring_requests"]] == ["Хлеб для Ивановой"]


def test_erase_is_refused_while_a_recurring_request_runs(organizer, operator, neighbor):
    _recurring(operator, neighbor)
    with pytest.raises(ValidationError):
        resident_erase(resident=neighbor, actor=organizer)
    assert Neighbor.objects.filter(pk=neighbor.pk).exists()


def test_erase_anonymises_calls_and_stopped_recurring(organizer, operator, neighbor):
    call = _call(operator, neighbor, follow_up=True)
    recurring = _recurring(operator, neighbor, stop=True)
    resident_erase(resident=neighbor, actor=organizer)
    assert not Neighbor.objects.filter(pk=neighbor.pk).exists()
    call.refresh_from_db()
    recurring.refresh_from_db()
    assert call.text == "" and call.neighbor_id is None
    assert recurring.details == "" and recurring.neighbor_id is None
    assert RecurringRequest.objects.filter(pk=recurring.pk).exists()


# --- Who saw what --------------------------------------------------------------------------


def _views(channel):
    return list(
        PersonalDataView.objects.filter(channel=channel).values_list("neighbor_id", flat=True)
    )


def test_the_call_list_records_the_residents_it_shows(client, operator, neighbor):
    _call(operator, neighbor)
    _call(operator, None)
    client.force_login(operator)
    assert client.get("/intake/calls/").status_code == 200
    assert _views(ViewChannel.INTAKE) == [neighbor.pk]


def test_the_recurring_page_records_its_resident(client, operator, neighbor):
    recurring = _recurring(operator, neighbor)
    client.force_login(operator)
    assert client.get(reverse("recurring:detail", args=[recurring.pk])).status_code == 200
    assert _views(ViewChannel.INTAKE) == [neighbor.pk]


def test_admin_pages_of_calls_and_recurring_record_their_residents(
    client, organizer, operator, neighbor
):
    call = _call(operator, neighbor)
    recurring = _recurring(operator, neighbor)
    client.force_login(organizer)
    for url in (
        reverse("admin:hotline_calllog_changelist"),
        reverse("admin:hotline_calllog_change", args=[call.pk]),
        reverse("admin:recurring_recurringrequest_changelist"),
        reverse("admin:recurring_recurringrequest_change", args=[recurring.pk]),
    ):
        assert client.get(url).status_code == 200
    assert _views(ViewChannel.ADMIN) == [neighbor.pk] * 4


def test_other_groups_calls_are_not_touched_by_this_groups_period(operator, neighbor, other_group):
    other_group.anonymise_after_days = 90
    other_group.save()
    other_operator = factories.OperatorFactory(group=other_group)
    with time_machine.travel(START, tick=False):
        theirs = call_log_create(actor=other_operator, topic=CallTopic.QUESTION, text=SAID)
    _call(operator, neighbor)
    purge_at(START + timedelta(days=31))
    theirs.refresh_from_db()
    assert theirs.text == SAID
    assert CallLog.objects.filter(anonymised_at__isnull=False).count() == 1
