"""Reactions to committed help-request changes (requests.signals.help_request_changed).

Receivers run after the commit, inside the request that made the change: they must never
raise (the change is saved; an error here would show the helper a 500 for a success). Work
that may be slow or need Redis goes to Celery through requests.enqueue; the sweeper repeats
anything that fails to enqueue.
"""

from __future__ import annotations

import logging

from requests.enqueue import enqueue_matching, enqueue_undeliverable_alert
from requests.models import HelpRequest
from requests.offers import offers_settle_for_request
from requests.transitions import Action

logger = logging.getLogger(__name__)

# Actions after which the request is open and needs a volunteer.
MATCH_AFTER = frozenset({Action.CREATE, Action.RELEASE, Action.UNDELIVERABLE, Action.REOPEN})


def on_help_request_changed(sender, *, help_request_id, action, actor_id=None, **kwargs):
    try:
        if action == Action.CLAIM:
            holder = (
                HelpRequest.objects.filter(pk=help_request_id)
                .values_list("volunteer_id", flat=True)
                .first()
            )
            offers_settle_for_request(help_request_id=help_request_id, claimed_by_id=holder)
        elif action == Action.CANCEL:
            offers_settle_for_request(help_request_id=help_request_id)
        if action == Action.UNDELIVERABLE:
            enqueue_undeliverable_alert(help_request_id)
        if action in MATCH_AFTER:
            enqueue_matching(help_request_id)
    except Exception:
        # The sweeper settles offers and re-enqueues matching; the change itself is saved.
        logger.exception("help_request %s: reacting to %s failed", help_request_id, action)
