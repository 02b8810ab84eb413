"""Writes of the hotline log: logging a call and marking its follow-up done."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covidarnost import permissions
from hotline.models import CALL_TEXT_MAX_LENGTH, CallLog, CallTopic
from neighbors.models import Neighbor
from requests.enqueue import safe_enqueue
from requests.exceptions import NotAllowed, TransitionNotAllowed

logger = logging.getLogger(__name__)

# hotline.tasks.alert_fake_volunteer, enqueued by name (requests.enqueue).
ALERT_FAKE_VOLUNTEER = "hotline.alert_fake_volunteer"


@transaction.atomic
def call_log_create(
    *, actor, topic: str, text: str, neighbor: Neighbor | None = None, follow_up: bool = False
) -> CallLog:
    """An operator or organizer logs a call that is not a request.

    Rules: the caller's resident, if named, lives in the actor's group; a report of a fake
    volunteer always needs a follow-up and alerts the group's organizers (ids and a link).
    """
    if not permissions.can_use_hotline_log(actor):
        raise NotAllowed
    if topic not in CallTopic.values:
        raise ValidationError({"topic": _("Choose what the call was about.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write down what the caller said.")})
    if len(text) > CALL_TEXT_MAX_LENGTH:
        raise ValidationError(
            {"text": _("At most %(max)d characters.") % {"max": CALL_TEXT_MAX_LENGTH}}
        )
    if neighbor is not None and neighbor.block.group_id != actor.group_id:
        raise ValidationError({"neighbor": _("This resident belongs to another group.")})
    call = CallLog.objects.create(
        group_id=actor.group_id,
        topic=topic,
        text=text,
        neighbor=neighbor,
        follow_up=follow_up or topic == CallTopic.FAKE_VOLUNTEER,
        logged_by=actor,
    )
    if topic == CallTopic.FAKE_VOLUNTEER:
        transaction.on_commit(lambda: safe_enqueue(ALERT_FAKE_VOLUNTEER, call.pk))
    logger.info("call_log %s: logged (%s) by user %s", call.pk, topic, actor.pk)
    return call


@transaction.atomic
def call_log_mark_done(*, call: CallLog, actor) -> CallLog:
    """The follow-up of a call is done: who did it and when.

    Rules: staff of the call's group; only a call that waits for a follow-up.
    """
    if not (permissions.can_use_hotline_log(actor) and permissions.can_see(actor, call)):
        raise NotAllowed
    updated = CallLog.objects.filter(
        pk=call.pk, follow_up=True, followed_up_at__isnull=True
    ).update(followed_up_at=timezone.now(), followed_up_by=actor)
    if updated != 1:
        raise TransitionNotAllowed(_("This call is not waiting for a follow-up."))
    logger.info("call_log %s: follow-up done by user %s", call.pk, actor.pk)
    call.refresh_from_db()
    return call
