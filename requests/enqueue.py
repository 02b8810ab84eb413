"""Putting request work on the Celery queue: never raises, logs ids only.

Offers, receivers and the tasks themselves enqueue through this module. It names tasks by
their registered name instead of importing requests.tasks, so the modules the tasks call
(requests.offers) can enqueue without an import cycle.

The database is the source of truth: when enqueueing fails (Redis down) the caller carries
on, and the periodic requests.sweep_matching enqueues every open request without a live offer.
"""

from __future__ import annotations

import logging

import kombu.exceptions
from django.db import transaction

from covidarnost.celery import app

logger = logging.getLogger(__name__)

MATCH_HELP_REQUEST = "requests.match_help_request"
ALERT_UNDELIVERABLE = "requests.alert_undeliverable"
ALERT_CLAIMS_STOPPED = "requests.alert_claims_stopped"
# Failures of the queue itself: logged without a traceback, they are expected when Redis is down.
QUEUE_DOWN = (kombu.exceptions.OperationalError, ConnectionError, TimeoutError)


def _registered(task_name: str):
    # Celery imports the apps' tasks modules when a worker starts; a web process may not have
    # imported the one that defines this task yet (nothing else imports it).
    if task_name not in app.tasks:
        app.autodiscover_tasks(force=True)
    return app.tasks[task_name]


def safe_enqueue(task_name: str, *args) -> bool:
    """Enqueue the task registered as task_name (named, not imported: the modules a task
    calls can enqueue it without an import cycle); never raise. False (and a log line with
    ids only) when it failed."""
    try:
        _registered(task_name).apply_async(args=args)
    except Exception as exc:  # noqa: BLE001 - any failure here must not break the caller
        logger.warning(
            "enqueue %s%s failed (%s); the sweeper will pick it up",
            task_name,
            args,
            type(exc).__name__,
            exc_info=not isinstance(exc, QUEUE_DOWN),
        )
        return False
    return True


def enqueue_matching(help_request_id) -> bool:
    """Offer the request to its next candidate (requests.tasks.match_help_request)."""
    return safe_enqueue(MATCH_HELP_REQUEST, str(help_request_id))


def enqueue_matching_after_commit(help_request_id) -> None:
    """enqueue_matching once the current transaction commits (never for a rolled-back one)."""
    transaction.on_commit(lambda: enqueue_matching(help_request_id))


def enqueue_undeliverable_alert(help_request_id) -> bool:
    """Tell the organizers the holder could not deliver (requests.tasks.alert_undeliverable)."""
    return safe_enqueue(ALERT_UNDELIVERABLE, str(help_request_id))


def enqueue_claims_stopped_alert(volunteer_id, help_request_id) -> bool:
    """Tell the organizers a volunteer's claims stopped (requests.tasks.alert_claims_stopped)."""
    return safe_enqueue(ALERT_CLAIMS_STOPPED, str(volunteer_id), str(help_request_id))
