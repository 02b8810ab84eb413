"""The operators' call list, for volunteers without a smartphone whom no SMS reaches.

Sending records nothing but the NotificationLog row the caller writes (channel "call_list");
the intake desk's /intake/callbacks/ lists those offers for an operator to phone through.
"""

import logging

from notifications.backends.base import BaseBackend

logger = logging.getLogger(__name__)

CALL_LIST = "call_list"


class CallListBackend(BaseBackend):
    channel = CALL_LIST

    def can_send(self, recipient) -> bool:
        return True

    def send(self, recipient, text, buttons=(), *, context=None) -> None:
        ids = context.log_ids() if context else ""
        logger.info("notification channel=call_list user=%s %s", recipient.user_id, ids)
