"""Short memory: old requests lose the resident's details, long-silent residents are deleted."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from covidarnost.celery import app as celery_app
from neighbors.models import Neighbor
from notifications.models import NotificationLog
from privacy.models import ErasureAction, PrivacyEvent
from privacy.retention import personal_data_purge
from privacy.tasks import purge_personal_data
from requests.models import HelpRequest, RequestEvent, Status
from tests import factories

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def neighbor(block):
    """Registered on START, like everything else here."""
    with time_machine.travel(START, tick=False):
        return factories.NeighborFactory(block=block)


@pytest.fixture
def delivered(neighbor, volunteer):
    """A request delivered on START with an amount, a receipt photo and a notification."""
    with time_machine.travel(START, tick=False):
        help_request = factories.HelpRequestFactory(
            neighbor=neighbor,
            status=Status.DELIVERED,
            volunteer=volunteer,
            claimed_at=START,
            delivered_at=START,
            spent=Decimal("412.50"),
            budget=Decimal("500"),
            details="Хлеб для Ивановой, кв. 12",
        )
        help_request.receipt.save("r.png", ContentFile(b"\x89PNG fake"))
        RequestEvent.objects.create(
            help_request=help_request, action="deliver", to_status="delivered", note="дверь 12"
        )
        NotificationLog.objects.create(
            key=f"k-{help_request.pk}", channel="email", help_request=help_request
        )
    return help_request


def purge_at(moment, **kwargs):
    with time_machine.travel(moment, tick=False):
        return personal_data_purge(**kwargs)


@pytest.mark.django_db
def test_request_keeps_details_until_the_group_cutoff(delivered):
    report = purge_at(START + timedelta(days=29))
    assert report.requests_anonymised == 0
    delivered.refresh_from_db()
    assert delivered.neighbor_id is not None and delivered.details and delivered.code_word


@pytest.mark.django_db
def test_request_closed_30_days_ago_loses_personal_data_and_keeps_the_facts(
    delivered, django_capture_on_commit_callbacks
):
    receipt_name = delivered.receipt.name
    assert default_storage.exists(receipt_name)

    with django_capture_on_commit_callbacks(execute=True):
        report = purge_at(START + timedelta(days=31))

    assert report.requests_anonymised == 1
    assert report.receipts_deleted == 1
    assert report.notifications_deleted == 1
    delivered.refresh_from_db()
    assert delivered.neighbor_id is None
    assert delivered.details == "" and delivered.code_word == "" and not delivered.receipt
    assert not default_storage.exists(receipt_name)
    assert not NotificationLog.objects.filter(help_request=delivered).exists()
    assert not RequestEvent.objects.filter(help_request=delivered).exclude(note="").exists()
    # What statistics need.
    assert delivered.kind == "groceries" and delivered.block_id is not None
    assert delivered.status == Status.DELIVERED and delivered.delivered_at == START
    assert delivered.spent == Decimal("412.50") and delivered.budget == Decimal("500")
    assert RequestEvent.objects.filter(help_request=delivered, action="anonymised").count() == 1
    # The resident stays (for now) and remembers when they last asked.
    neighbor = Neighbor.objects.get()
    assert neighbor.last_request_at == delivered.created_at


@pytest.mark.django_db
def test_group_setting_changes_the_cutoff(delivered, group):
    group.anonymise_after_days = 7
    group.save()
    assert purge_at(START + timedelta(days=6)).requests_anonymised == 0
    assert purge_at(START + timedelta(days=8)).requests_anonymised == 1


@pytest.mark.django_db
def test_open_and_in_progress_requests_are_never_anonymised(neighbor, volunteer):
    with time_machine.travel(START, tick=False):
        factories.HelpRequestFactory(neighbor=neighbor)
        factories.HelpRequestFactory(
            neighbor=neighbor, status=Status.CLAIMED, volunteer=volunteer, claimed_at=START
        )
    report = purge_at(START + timedelta(days=400))
    assert report.requests_anonymised == 0 and report.residents_deleted == 0
    assert HelpRequest.objects.filter(neighbor=neighbor).count() == 2


@pytest.mark.django_db
def test_resident_without_requests_for_180_days_is_deleted(delivered, neighbor):
    assert purge_at(START + timedelta(days=179)).residents_deleted == 0
    report = purge_at(START + timedelta(days=181))
    assert report.residents_deleted == 1
    assert not Neighbor.objects.filter(pk=neighbor.pk).exists()
    delivered.refresh_from_db()
    assert delivered.neighbor_id is None and delivered.spent == Decimal("412.50")
    event = PrivacyEvent.objects.get()
    assert event.action == ErasureAction.RESIDENT_FORGOTTEN
    assert event.subject_id == str(neighbor.pk)


@pytest.mark.django_db
def test_an_anonymised_request_still_counts_as_a_recent_request(block, volunteer):
    """A resident registered long ago whose request 40 days ago was anonymised is kept."""
    with time_machine.travel(START, tick=False):
        old_resident = factories.NeighborFactory(block=block)
    recent = START + timedelta(days=300)
    with time_machine.travel(recent, tick=False):
        factories.HelpRequestFactory(
            neighbor=old_resident, status=Status.CANCELLED, cancelled_at=recent
        )
    purge_at(recent + timedelta(days=31))  # anonymises the request
    report = purge_at(recent + timedelta(days=40))
    assert report.residents_deleted == 0
    assert purge_at(recent + timedelta(days=181)).residents_deleted == 1


@pytest.mark.django_db
def test_keep_flag_and_recent_check_in_call_protect_a_resident(block):
    with time_machine.travel(START, tick=False):
        kept = factories.NeighborFactory(block=block, keep_data=True)
        called = factories.NeighborFactory(block=block)
        silent = factories.NeighborFactory(block=block)
    called.last_contact_at = START + timedelta(days=100)
    called.save()
    report = purge_at(START + timedelta(days=200))
    assert report.residents_deleted == 1
    assert set(Neighbor.objects.values_list("pk", flat=True)) == {kept.pk, called.pk}
    assert not Neighbor.objects.filter(pk=silent.pk).exists()


@pytest.mark.django_db
def test_other_group_keeps_its_own_setting(delivered, other_block, group, other_group):
    other_group.anonymise_after_days = 90
    other_group.save()
    with time_machine.travel(START, tick=False):
        theirs = factories.HelpRequestFactory(
            neighbor__block=other_block, status=Status.CANCELLED, cancelled_at=START
        )
    purge_at(START + timedelta(days=31))
    theirs.refresh_from_db()
    delivered.refresh_from_db()
    assert delivered.anonymised_at is not None
    assert theirs.anonymised_at is None and theirs.neighbor_id is not None


@pytest.mark.django_db
def test_dry_run_counts_and_changes_nothing(delivered, neighbor):
    out = StringIO()
    with time_machine.travel(START + timedelta(days=200), tick=False):
        call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "Would anonymise 1 requests (1 receipt photos, 1 notification log entries)" in (
        out.getvalue()
    )
    assert "would delete 1 residents" in out.getvalue()
    delivered.refresh_from_db()
    assert delivered.neighbor_id == neighbor.pk and delivered.details
    assert NotificationLog.objects.count() == 1


@pytest.mark.django_db
def test_command_and_task_purge_and_a_second_run_finds_nothing(delivered):
    out = StringIO()
    with time_machine.travel(START + timedelta(days=31), tick=False):
        call_command("purge_personal_data", stdout=out)
        assert "Anonymised 1 requests" in out.getvalue()
        assert purge_personal_data.delay().get() == {
            "requests_anonymised": 0,
            "residents_deleted": 0,
            "calls_anonymised": 0,
            "recurring_anonymised": 0,
        }


def test_purge_runs_nightly():
    entry = celery_app.conf.beat_schedule["nightly-purge-personal-data"]
    assert entry["task"] == "privacy.purge_personal_data"
    assert entry["schedule"].hour == {3}
