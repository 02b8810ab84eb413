"""Short memory: forget residents' personal data when it is no longer needed.

Two periods, per group (neighbors.Group settings), one rule per kind of record:
- `anonymise_after_days` after it was closed, a record loses everything that points to a
  person; the facts stay, so the group's statistics still add up:
  - a request delivered or cancelled: its link to the resident, the free text, the code word,
    the receipt photo, the notes of its history and its notification log (kind, block, needs,
    dates, status, budget and amounts stay);
  - a hotline call (closed when logged, or when its follow-up was done; one still waiting is
    kept): what the caller said and the link to the resident (topic and dates stay);
  - a recurring request stopped: the resident and the free text (kind, needs, schedule stay).
- a resident with no request and no check-in call for `delete_residents_after_days` is deleted
  (after their requests, calls and recurring requests are anonymised), unless an organizer
  marked them to keep, or a request or a recurring request of theirs still runs.

The nightly task `privacy.purge_personal_data` and `manage.py purge_personal_data` call
personal_data_purge(); with dry_run it only counts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from hotline.models import CallLog
from neighbors.models import Group, Neighbor
from notifications.models import NotificationLog
from privacy.audit import neighbor_entries
from privacy.models import ErasureAction, PrivacyEvent
from recurring.models import RecurringChange, RecurringRequest, RecurringState
from requests.models import HelpRequest, RequestEvent, Status

logger = logging.getLogger(__name__)

ACTIVE_STATUSES = (Status.OPEN, Status.CLAIMED, Status.BOUGHT)
RUNNING_RECURRING = (RecurringState.ACTIVE, RecurringState.PAUSED)
ANONYMISED_EVENT = "anonymised"


@dataclass
class PurgeReport:
    requests_anonymised: int = 0
    residents_deleted: int = 0
    receipts_deleted: int = 0
    notifications_deleted: int = 0
    calls_anonymised: int = 0
    recurring_anonymised: int = 0
    dry_run: bool = False

    def add(self, other: PurgeReport) -> None:
        self.requests_anonymised += other.requests_anonymised
        self.residents_deleted += other.residents_deleted
        self.receipts_deleted += other.receipts_deleted
        self.notifications_deleted += other.notifications_deleted
        self.calls_anonymised += other.calls_anonymised
        self.recurring_anonymised += other.recurring_anonymised


def requests_due_for_anonymisation(*, group: Group, now: datetime) -> QuerySet[HelpRequest]:
    """Delivered or cancelled requests of the group closed before its anonymisation cutoff."""
    cutoff = now - timedelta(days=group.anonymise_after_days)
    return HelpRequest.objects.filter(block__group=group, anonymised_at__isnull=True).filter(
        Q(status=Status.DELIVERED, delivered_at__lt=cutoff)
        | Q(status=Status.CANCELLED, cancelled_at__lt=cutoff)
    )


def calls_due_for_anonymisation(*, group: Group, now: datetime) -> QuerySet[CallLog]:
    """Hotline calls of the group closed before its anonymisation cutoff.

    A call without a follow-up is closed when logged; one with a follow-up when it was done;
    one still waiting for its follow-up is kept.
    """
    cutoff = now - timedelta(days=group.anonymise_after_days)
    return CallLog.objects.filter(group=group, anonymised_at__isnull=True).filter(
        Q(follow_up=False, created_at__lt=cutoff) | Q(followed_up_at__lt=cutoff)
    )


def recurring_due_for_anonymisation(*, group: Group, now: datetime) -> QuerySet[RecurringRequest]:
    """Recurring requests of the group stopped before its anonymisation cutoff."""
    cutoff = now - timedelta(days=group.anonymise_after_days)
    stopped_before = RecurringChange.objects.filter(
        recurring=OuterRef("pk"), action="stop", created_at__lt=cutoff
    )
    return RecurringRequest.objects.filter(
        block__group=group, state=RecurringState.STOPPED, anonymised_at__isnull=True
    ).filter(Exists(stopped_before))


def residents_due_for_deletion(*, group: Group, now: datetime) -> QuerySet[Neighbor]:
    """Residents of the group without a request or a call since its deletion cutoff.

    The last request is the newest linked one, or the date kept from anonymised ones; a
    resident never asked for help counts from their registration.
    """
    cutoff = now - timedelta(days=group.delete_residents_after_days)
    return (
        Neighbor.objects.filter(block__group=group, keep_data=False)
        .exclude(help_requests__status__in=ACTIVE_STATUSES)
        .exclude(recurring_requests__state__in=RUNNING_RECURRING)
        .annotate(
            last_activity=Greatest(
                F("created_at"),
                Coalesce(Max("help_requests__created_at"), F("created_at")),
                Coalesce(F("last_request_at"), F("created_at")),
                Coalesce(F("last_contact_at"), F("created_at")),
            )
        )
        .filter(last_activity__lt=cutoff)
    )


def _anonymise(requests: QuerySet[HelpRequest], *, now: datetime) -> PurgeReport:
    """Strip the personal data from these (closed) requests; the facts stay."""
    from django.core.files.storage import default_storage

    rows = list(requests.values("id", "neighbor_id", "created_at", "status", "receipt"))
    if not rows:
        return PurgeReport()
    ids = [row["id"] for row in rows]
    # The resident keeps the date of their newest request, for the deletion rule.
    newest: dict = {}
    for row in rows:
        neighbor_id = row["neighbor_id"]
        if neighbor_id and (neighbor_id not in newest or row["created_at"] > newest[neighbor_id]):
            newest[neighbor_id] = row["created_at"]
    for neighbor_id, created_at in newest.items():
        Neighbor.objects.filter(pk=neighbor_id).filter(
            Q(last_request_at__isnull=True) | Q(last_request_at__lt=created_at)
        ).update(last_request_at=created_at)
    notifications, _ = NotificationLog.objects.filter(help_request_id__in=ids).delete()
    RequestEvent.objects.filter(help_request_id__in=ids).update(note="")
    HelpRequest.objects.filter(pk__in=ids).update(
        neighbor=None, details="", code_word="", receipt="", anonymised_at=now
    )
    RequestEvent.objects.bulk_create(
        RequestEvent(
            help_request_id=row["id"],
            actor=None,
            action=ANONYMISED_EVENT,
            from_status=row["status"],
            to_status=row["status"],
        )
        for row in rows
    )
    receipts = [row["receipt"] for row in rows if row["receipt"]]
    # Files go once the rows no longer name them; a failed delete leaves an orphan file
    # under a neutral name, never a row pointing to nothing.
    transaction.on_commit(lambda: [default_storage.delete(name) for name in receipts])
    return PurgeReport(
        requests_anonymised=len(rows),
        receipts_deleted=len(receipts),
        notifications_deleted=notifications,
    )


def _anonymise_calls(calls: QuerySet[CallLog], *, now: datetime) -> int:
    """What the caller said and who it was go; topic, dates and follow-up facts stay."""
    return calls.filter(anonymised_at__isnull=True).update(
        text="", neighbor=None, anonymised_at=now
    )


def _anonymise_recurring(recurring: QuerySet[RecurringRequest], *, now: datetime) -> int:
    """Stopped ones only: the resident and the free text go; kind, needs, schedule stay."""
    return recurring.filter(state=RecurringState.STOPPED, anonymised_at__isnull=True).update(
        neighbor=None, details="", anonymised_at=now
    )


def resident_records_anonymise(*, resident: Neighbor, now: datetime | None = None) -> None:
    """Anonymise every closed record of one resident (their erasure, their deletion)."""
    now = now or timezone.now()
    with transaction.atomic():
        _anonymise(
            HelpRequest.objects.filter(neighbor=resident).exclude(status__in=ACTIVE_STATUSES),
            now=now,
        )
        _anonymise_calls(CallLog.objects.filter(neighbor=resident), now=now)
        _anonymise_recurring(RecurringRequest.objects.filter(neighbor=resident), now=now)


def _purge_group(*, group: Group, now: datetime, dry_run: bool) -> PurgeReport:
    due_requests = requests_due_for_anonymisation(group=group, now=now)
    due_residents = residents_due_for_deletion(group=group, now=now)
    if dry_run:
        closed_of_residents = HelpRequest.objects.filter(
            neighbor__in=due_residents.values("pk"), anonymised_at__isnull=True
        )
        both = due_requests | closed_of_residents
        calls = calls_due_for_anonymisation(group=group, now=now) | CallLog.objects.filter(
            neighbor__in=due_residents.values("pk"), anonymised_at__isnull=True
        )
        recurring = recurring_due_for_anonymisation(
            group=group, now=now
        ) | RecurringRequest.objects.filter(
            neighbor__in=due_residents.values("pk"), anonymised_at__isnull=True
        )
        return PurgeReport(
            requests_anonymised=both.distinct().count(),
            residents_deleted=due_residents.count(),
            receipts_deleted=both.exclude(receipt="").distinct().count(),
            notifications_deleted=NotificationLog.objects.filter(
                help_request__in=both.values("pk")
            ).count(),
            calls_anonymised=calls.distinct().count(),
            recurring_anonymised=recurring.distinct().count(),
            dry_run=True,
        )
    with transaction.atomic():
        report = _anonymise(due_requests, now=now)
        resident_ids = list(due_residents.values_list("pk", flat=True))
        report.add(_anonymise(HelpRequest.objects.filter(neighbor_id__in=resident_ids), now=now))
        report.calls_anonymised = _anonymise_calls(
            calls_due_for_anonymisation(group=group, now=now)
            | CallLog.objects.filter(neighbor_id__in=resident_ids),
            now=now,
        )
        report.recurring_anonymised = _anonymise_recurring(
            recurring_due_for_anonymisation(group=group, now=now)
            | RecurringRequest.objects.filter(neighbor_id__in=resident_ids),
            now=now,
        )
        Neighbor.objects.filter(pk__in=resident_ids).delete()
        # Their audit trail goes with them; the PrivacyEvent below is what stays.
        neighbor_entries(resident_ids).delete()
        PrivacyEvent.objects.bulk_create(
            PrivacyEvent(action=ErasureAction.RESIDENT_FORGOTTEN, subject_id=str(pk), group=group)
            for pk in resident_ids
        )
        report.residents_deleted = len(resident_ids)
    return report


def personal_data_purge(*, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Apply both rules to every group, one transaction per group; return what was done."""
    now = now or timezone.now()
    total = PurgeReport(dry_run=dry_run)
    for group in Group.objects.all():
        report = _purge_group(group=group, now=now, dry_run=dry_run)
        total.add(report)
        if (
            report.requests_anonymised
            or report.residents_deleted
            or report.calls_anonymised
            or report.recurring_anonymised
        ):
            logger.info(
                "purge group %s: %d requests, %d calls, %d recurring anonymised, "
                "%d residents deleted%s",
                group.pk,
                report.requests_anonymised,
                report.calls_anonymised,
                report.recurring_anonymised,
                report.residents_deleted,
                " (dry run)" if dry_run else "",
            )
    return total
