"""Per person: everything held about one resident or volunteer, as a file; and erasure.

Exports are JSON a person can be handed (their right of access); erasure removes what points
to the person and keeps the facts other people's work and the group's statistics rest on
(requests keep kind, block, dates, status and amounts). Both are for organizers of the
person's group (and superusers): permissions.can_handle_person_data.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from covidarnost import permissions
from hotline.models import CallLog
from neighbors.models import Neighbor
from notifications.models import NotificationLog
from onboarding.models import Invite, PasswordHelpRequest
from privacy.access_log import record_personal_data_view
from privacy.audit import neighbor_entries, weekly_slot_entries
from privacy.lock import sessions_revoke, tokens_revoke
from privacy.models import ErasureAction, PersonalDataView, PrivacyEvent, ViewChannel
from privacy.retention import ACTIVE_STATUSES, RUNNING_RECURRING, resident_records_anonymise
from recurring.models import RecurringRequest
from requests.models import HelpRequest, Offer, RequestEvent
from volunteers.models import Volunteer, VolunteerStatus

REQUEST_FIELDS = (
    "id", "kind", "needs", "details", "budget", "payment", "urgency", "due_at", "source",
    "form_serial", "code_word", "status", "created_at", "claimed_at", "bought_at",
    "delivered_at", "cancelled_at", "spent", "paid_by", "reimbursed_at",
)  # fmt: skip
# What a volunteer's export says of the requests they held: never the resident's data.
HELD_REQUEST_FIELDS = (
    "id", "kind", "status", "claimed_at", "bought_at", "delivered_at", "spent", "paid_by",
    "reimbursed_at",
)  # fmt: skip
CALL_FIELDS = (
    "id", "topic", "text", "follow_up", "followed_up_at", "created_at",
)  # fmt: skip
RECURRING_FIELDS = (
    "id", "kind", "needs", "details", "interval_weeks", "weekday", "time", "state",
    "next_due_at", "created_at",
)  # fmt: skip
USER_FIELDS = (
    "id", "username", "first_name", "last_name", "email", "phone", "role", "date_joined",
    "last_login", "is_active",
)  # fmt: skip


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if hasattr(value, "as_e164"):
        return value.as_e164
    if hasattr(value, "name") and hasattr(value, "storage"):  # a file field
        return value.name or ""
    return value


def _row(obj, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def _check(user, person) -> None:
    if not permissions.can_handle_person_data(user, person):
        raise PermissionDenied


def resident_export(*, resident: Neighbor, actor) -> dict:
    """Everything held about a resident: their record, requests, history and who saw them.

    The export itself is recorded as a view of their details.
    """
    _check(actor, resident)
    requests = list(HelpRequest.objects.filter(neighbor=resident).order_by("created_at"))
    ids = [request.pk for request in requests]
    events = RequestEvent.objects.filter(help_request_id__in=ids).order_by("created_at", "id")
    record = {
        name: _plain(value)
        for name, value in model_to_dict(resident).items()
        if name not in ("block",)
    }
    record.update(id=str(resident.pk), block=resident.block.code, address=resident.block.address,
                  created_at=_plain(resident.created_at))  # fmt: skip
    data = {
        "kind": "resident",
        "exported_at": timezone.now().isoformat(),
        "resident": record,
        "requests": [_row(request, REQUEST_FIELDS) for request in requests],
        "request_history": [
            {
                "request": str(event.help_request_id),
                "action": event.action,
                "to_status": event.to_status,
                "note": event.note,
                "at": event.created_at.isoformat(),
            }
            for event in events
        ],
        "notifications_about_requests": [
            {
                "request": str(row.help_request_id),
                "channel": row.channel,
                "at": row.created_at.isoformat(),
            }
            for row in NotificationLog.objects.filter(help_request_id__in=ids)
        ],  # fmt: skip
        "hotline_calls": [
            _row(call, CALL_FIELDS)
            for call in CallLog.objects.filter(neighbor=resident).order_by("created_at")
        ],
        "recurring_requests": [
            _row(recurring, RECURRING_FIELDS)
            for recurring in RecurringRequest.objects.filter(neighbor=resident).order_by(
                "created_at"
            )
        ],
        "seen_by": [
            {"who": row.viewer_id, "where": row.channel, "at": row.created_at.isoformat()}
            for row in PersonalDataView.objects.filter(neighbor=resident)
        ],
    }
    record_personal_data_view(viewer=actor, neighbors=[resident], channel=ViewChannel.EXPORT)
    return data


def volunteer_export(*, volunteer: Volunteer, actor) -> dict:
    """Everything held about a volunteer: account, profile, tasks, offers, messages, audit."""
    from auditlog.models import LogEntry

    _check(actor, volunteer)
    user = volunteer.user
    profile = {
        name: _plain(value)
        for name, value in model_to_dict(volunteer).items()
        if name not in ("user", "blocks")
    }
    profile["blocks"] = list(volunteer.blocks.values_list("code", flat=True))
    profile["weekly_slots"] = [str(slot) for slot in volunteer.weekly_slots.all()]
    return {
        "kind": "volunteer",
        "exported_at": timezone.now().isoformat(),
        "account": _row(user, USER_FIELDS),
        "profile": profile,
        "tasks": [
            _row(request, HELD_REQUEST_FIELDS)
            for request in HelpRequest.objects.filter(volunteer=volunteer).order_by("created_at")
        ],
        "offers": [
            {
                "request": str(offer.help_request_id),
                "status": offer.status,
                "reason": offer.reason,
                "at": offer.created_at.isoformat(),
            }
            for offer in Offer.objects.filter(volunteer=volunteer)
        ],  # fmt: skip
        "notifications": [
            {"key": row.key, "channel": row.channel, "at": row.created_at.isoformat()}
            for row in NotificationLog.objects.filter(recipient=user)
        ],
        "residents_details_seen": PersonalDataView.objects.filter(viewer=user).count(),
        "verification_history": [
            {
                "at": event.created_at.isoformat(),
                "from": event.old_status,
                "to": event.new_status,
                "method": event.method,
                "reason": event.reason,
            }
            for event in volunteer.status_events.order_by("created_at")
        ],
        "password_requests": [
            row.created_at.isoformat() for row in PasswordHelpRequest.objects.filter(user=user)
        ],
        "account_changes": [
            {"at": entry.timestamp.isoformat(), "changes": entry.changes_dict}
            for entry in LogEntry.objects.get_for_object(user)
        ],
    }


def export_as_file(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


@transaction.atomic
def resident_erase(*, resident: Neighbor, actor) -> None:
    """Erase a resident: their requests, hotline calls and recurring requests are anonymised
    (facts stay) and the record deleted.

    Refused while a request of theirs is in progress (cancel or finish it first) or a
    recurring request of theirs runs (stop it first).
    """
    _check(actor, resident)
    if HelpRequest.objects.filter(neighbor=resident, status__in=ACTIVE_STATUSES).exists():
        raise ValidationError(
            _("This resident has a request in progress. Cancel or finish it first.")
        )
    if RecurringRequest.objects.filter(neighbor=resident, state__in=RUNNING_RECURRING).exists():
        raise ValidationError(_("This resident has a recurring request. Stop it first."))
    resident_records_anonymise(resident=resident)
    group_id = resident.block.group_id
    PrivacyEvent.objects.create(
        action=ErasureAction.RESIDENT_ERASED,
        subject_id=str(resident.pk),
        group_id=group_id,
        actor=actor,
    )
    resident_id = resident.pk
    resident.delete()
    # The audit trail of their record is about them; the erasure record replaces it.
    neighbor_entries([resident_id]).delete()


@transaction.atomic
def volunteer_erase(*, volunteer: Volunteer, actor) -> None:
    """Erase a volunteer: account emptied and closed, profile stripped, messages deleted.

    The profile row stays (as "removed") because delivered requests and offers point to it:
    the group's figures still count the work done. Refused while they hold a task.
    """
    from auditlog.models import LogEntry

    _check(actor, volunteer)
    if HelpRequest.objects.filter(volunteer=volunteer, status__in=ACTIVE_STATUSES).exists():
        raise ValidationError(_("This volunteer holds a task. Release or finish it first."))
    user = volunteer.user
    sessions_revoke(user_ids=[user.pk])
    tokens_revoke(user_ids=[user.pk])
    NotificationLog.objects.filter(recipient=user).delete()
    PersonalDataView.objects.filter(viewer=user).update(viewer=None)
    user.username = f"erased-{str(volunteer.pk)[:8]}"
    user.first_name = user.last_name = user.email = ""
    user.phone = None
    user.password = make_password(None)
    user.is_active = False
    user.save()
    volunteer.status = VolunteerStatus.REMOVED
    volunteer.is_available = False
    volunteer.base_latitude = volunteer.base_longitude = None
    volunteer.telegram_chat_id = ""
    volunteer.languages = ""
    volunteer.status_reason = ""
    volunteer.save()
    # Reasons and requests may name them; the changes themselves (who, when, states) stay.
    volunteer.status_events.update(reason="")
    PasswordHelpRequest.objects.filter(user=user).delete()
    Invite.objects.filter(used_by=user).update(for_name="", for_phone=None)
    volunteer.blocks.clear()
    # When they are free says when they are away from home: it goes, with its history.
    volunteer.weekly_slots.all().delete()
    # The audit trail of their account is about them; the erasure record replaces it.
    LogEntry.objects.get_for_object(user).delete()
    LogEntry.objects.get_for_object(volunteer).delete()
    weekly_slot_entries([volunteer.pk]).delete()
    PrivacyEvent.objects.create(
        action=ErasureAction.VOLUNTEER_ERASED,
        subject_id=str(volunteer.pk),
        group_id=user.group_id,
        actor=actor,
    )
