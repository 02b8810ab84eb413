"""After a request change is committed, open the notice that tells the resident about it.

Like requests.receivers, this must never raise: the change is saved already.
"""

from __future__ import annotations

import logging

from intake.notices import TELL_RESIDENT_AFTER, resident_notice_open
from requests.models import RequestEvent

logger = logging.getLogger(__name__)


def on_help_request_changed(sender, *, help_request_id, action, **kwargs):
    if action not in TELL_RESIDENT_AFTER:
        return
    try:
        event_id = (
            RequestEvent.objects.filter(help_request_id=help_request_id, action=action)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if event_id is not None:
            resident_notice_open(event_id=event_id)
    except Exception:
        logger.exception("help_request %s: opening the resident notice failed", help_request_id)
