"""Celery tasks for matching, offers, reminders and the sweeper.

Tasks take ids only, are acknowledged after they finish (acks_late: a worker killed midway
leaves the message to be delivered again), retry transient errors with backoff, and are
idempotent: offers are unique per request and volunteer with one pending at a time, and every
notification has a unique key in NotificationLog, so a rerun sends nothing twice.

The database is the source of truth. Enqueueing can fail (Redis down): requests.enqueue logs
and returns False, and the periodic sweep_matching finds every open request without a live
offer and enqueues it again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import kombu.exceptions
from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from notifications.backends.base import TransientNotificationError
from notifications.models import NotificationLog
from notifications.services import alert_organizers, notify_user
from requests import reminders
from requests.enqueue import (
    ALERT_CLAIMS_STOPPED,
    ALERT_UNDELIVERABLE,
    MATCH_HELP_REQUEST,
    enqueue_matching,
)
from requests.models import HelpRequest, OfferStatus, RequestEvent, Status
from requests.offers import offer_make_next, offers_expire_due, offers_settle_stale
from requests.transitions import Action
from volunteers.models import Volunteer

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    kombu.exceptions.OperationalError,
    TransientNotificationError,
)
TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    # Retries back off up to 10 min; the Redis visibility timeout stays longer (by hours).
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}
# Open requests the sweeper re-enqueues per run, oldest first.
SWEEP_BATCH = 500
# How far back the sweeper looks for undeliverable reports whose alert was missed.
UNDELIVERABLE_LOOKBACK = timedelta(days=1)


@shared_task(name=MATCH_HELP_REQUEST, **TASK_OPTIONS)
def match_help_request(help_request_id: str) -> str:
    """Offer the request to the next candidate (or re-send the live offer's notification)."""
    outcome = offer_make_next(help_request_id=help_request_id)
    if outcome.offer is not None:
        user_id = Volunteer.objects.values_list("user_id", flat=True).get(
            pk=outcome.offer.volunteer_id
        )
        notify_user(
            user_id=user_id,
            message="offer",
            key=f"offer:{outcome.offer.pk}",
            help_request_id=help_request_id,
            offer_id=outcome.offer.pk,
        )
    if outcome.alert_key:
        alert_organizers(
            group_id=outcome.group_id,
            message="no_candidates_alert",
            key=outcome.alert_key,
            help_request_id=help_request_id,
        )
    return outcome.status


def _undeliverable_alert(event_id, help_request_id, group_id) -> int:
    return alert_organizers(
        group_id=group_id,
        message="undeliverable_alert",
        key=f"undeliverable_alert:{event_id}",
        help_request_id=help_request_id,
    )


@shared_task(name=ALERT_CLAIMS_STOPPED, **TASK_OPTIONS)
def alert_claims_stopped(volunteer_id: str, help_request_id: str) -> int:
    """Tell the organizers that a volunteer's claims stopped after too many give-backs."""
    volunteer = (
        Volunteer.objects.filter(pk=volunteer_id, claims_blocked_at__isnull=False)
        .values("user__group_id", "claims_blocked_at")
        .first()
    )
    if volunteer is None:
        return 0  # allowed again meanwhile
    stamp = int(volunteer["claims_blocked_at"].timestamp())
    return alert_organizers(
        group_id=volunteer["user__group_id"],
        message="claims_stopped_alert",
        key=f"claims_stopped_alert:{volunteer_id}:{stamp}",
        help_request_id=help_request_id,
    )


@shared_task(name=ALERT_UNDELIVERABLE, **TASK_OPTIONS)
def alert_undeliverable(help_request_id: str) -> int:
    """Tell the group's organizers that the request's holder could not deliver it."""
    event = (
        RequestEvent.objects.filter(help_request_id=help_request_id, action=Action.UNDELIVERABLE)
        .order_by("-created_at", "-pk")
        .values("pk", "help_request__block__group_id")
        .first()
    )
    if event is None:
        return 0
    return _undeliverable_alert(
        event["pk"], help_request_id, event["help_request__block__group_id"]
    )


def sweep_missed_undeliverable_alerts(*, now=None) -> int:
    """Alerts for recent undeliverable reports that have none yet (enqueue failed)."""
    since = (now or timezone.now()) - UNDELIVERABLE_LOOKBACK
    events = RequestEvent.objects.filter(
        action=Action.UNDELIVERABLE, created_at__gte=since
    ).values_list("pk", "help_request_id", "help_request__block__group_id")
    sent = 0
    for event_id, help_request_id, group_id in events:
        if NotificationLog.objects.filter(key__startswith=f"undeliverable_alert:{event_id}:"):
            continue
        sent += _undeliverable_alert(event_id, help_request_id, group_id)
    return sent


def open_requests_without_live_offer():
    """Open requests nobody is being asked about right now, oldest first."""
    return (
        HelpRequest.objects.filter(status=Status.OPEN)
        .exclude(offers__status=OfferStatus.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )


@shared_task(name="requests.sweep_matching", **TASK_OPTIONS)
def sweep_matching() -> dict:
    """The safety net: expire overdue offers, settle offers of taken requests, enqueue
    matching for open requests without a live offer, send missed undeliverable alerts."""
    expired = offers_expire_due()
    settled = offers_settle_stale()
    enqueued = 0
    for help_request_id in open_requests_without_live_offer()[:SWEEP_BATCH]:
        enqueued += enqueue_matching(help_request_id)
    alerts = sweep_missed_undeliverable_alerts()
    result = {"expired": len(expired), "settled": settled, "enqueued": enqueued, "alerts": alerts}
    logger.info("sweep_matching %s", result)
    return result


@shared_task(name="requests.send_reminders", **TASK_OPTIONS)
def send_reminders() -> dict:
    """Overdue claims (volunteer, then organizers) and unclaimed requests past the SLA."""
    result = {
        "overdue": reminders.send_overdue_reminders(notify=notify_user, alert=alert_organizers),
        "unclaimed": reminders.send_unclaimed_alerts(alert=alert_organizers),
    }
    logger.info("send_reminders %s", result)
    return result


@shared_task(name="requests.send_checkin_lists", **TASK_OPTIONS)
def send_checkin_lists() -> int:
    """Weekly: each block volunteer gets the isolated neighbours to call (ids and links)."""
    return reminders.send_checkin_lists(notify=notify_user)
