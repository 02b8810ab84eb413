"""Writes for telling residents: open a notice for each change, send it by SMS or leave it on
the operators' call-back list, and record who told her.

A resident hears about three changes: a volunteer claimed her request (help is coming, and the
code word), and a release or "could not deliver" (not coming after all, and the new code word).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from covidarnost import permissions
from covidarnost.phones import is_mobile
from intake.messages import resident_message
from intake.models import NoticeChannel, NoticeStatus, ResidentNotice
from notifications import sms
from notifications.backends.base import PermanentNotificationError
from requests.enqueue import safe_enqueue
from requests.exceptions import NotAllowed, TransitionNotAllowed
from requests.models import HelpRequest, RequestEvent
from requests.transitions import Action
from volunteers.models import Volunteer

logger = logging.getLogger(__name__)

# Registered name of intake.tasks.send_resident_sms (enqueued by name: tasks imports us).
SEND_RESIDENT_SMS = "intake.send_resident_sms"
TELL_RESIDENT_AFTER = frozenset({Action.CLAIM, Action.RELEASE, Action.UNDELIVERABLE})


def can_text(neighbor) -> bool:
    """SMS only if she agreed, her number is a mobile, and a gateway is configured."""
    return bool(neighbor.consent_to_sms and is_mobile(neighbor.phone) and sms.is_configured())


def resident_notice_open(*, event_id) -> ResidentNotice | None:
    """Open the notice for one request change; returns None for changes she need not hear.

    Rules: one notice per event (a repeated call returns it); earlier untold notices of the
    request are superseded (she is told the latest state, once); SMS if can_text, otherwise
    the operators' call-back list. The SMS itself goes from a Celery task, after commit.
    """
    with transaction.atomic():
        event = (
            RequestEvent.objects.select_related("help_request__neighbor")
            .filter(pk=event_id, action__in=TELL_RESIDENT_AFTER)
            .first()
        )
        if event is None:
            return None
        existing = ResidentNotice.objects.filter(event=event).first()
        if existing is not None:
            return existing
        ResidentNotice.objects.filter(
            help_request_id=event.help_request_id, status=NoticeStatus.PENDING
        ).update(status=NoticeStatus.SUPERSEDED)
        channel = NoticeChannel.SMS if can_text(event.help_request.neighbor) else NoticeChannel.CALL
        notice = ResidentNotice.objects.create(
            help_request_id=event.help_request_id, event=event, channel=channel
        )
        if channel == NoticeChannel.SMS:
            transaction.on_commit(lambda: _enqueue_sms(notice.pk))
    logger.info("resident notice %s opened for event %s (%s)", notice.pk, event.pk, channel)
    return notice


def _enqueue_sms(notice_id) -> None:
    # Ids only: the task reads the phone and the code word from the database.
    safe_enqueue(SEND_RESIDENT_SMS, notice_id)


def resident_notice_send_sms(*, notice_id) -> bool:
    """Send one pending SMS notice; True if sent now. A refused number goes to the call list.

    Transient gateway errors propagate (the Celery task retries); the row stays pending.
    """
    with transaction.atomic():
        notice = (
            ResidentNotice.objects.select_for_update(of=("self",))
            .select_related("event", "help_request__neighbor", "help_request__block__group")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.status != NoticeStatus.PENDING:
            return False
        if notice.channel != NoticeChannel.SMS:
            return False
        help_request = notice.help_request
        neighbor = help_request.neighbor
        if not can_text(neighbor):
            notice.channel = NoticeChannel.CALL
            notice.save(update_fields=["channel"])
            return False
        volunteer = _holder(help_request) if notice.event.action == Action.CLAIM else None
        # The text holds the code word, by design: it is how she recognises the volunteer.
        # It goes to the gateway only; never into a log line or an exception message.
        text = resident_message(
            action=notice.event.action, help_request=help_request, volunteer=volunteer
        )
        try:
            sms.send_sms(str(neighbor.phone), text)
        except PermanentNotificationError:
            logger.warning("resident notice %s: SMS refused; moved to the call list", notice.pk)
            notice.channel = NoticeChannel.CALL
            notice.save(update_fields=["channel"])
            return False
        notice.status = NoticeStatus.SENT
        notice.told_at = timezone.now()
        notice.save(update_fields=["status", "told_at"])
    logger.info("resident notice %s sent by SMS", notice.pk)
    return True


def _holder(help_request: HelpRequest):
    if help_request.volunteer_id is None:
        return None
    return Volunteer.objects.select_related("user").filter(pk=help_request.volunteer_id).first()


@transaction.atomic
def resident_notice_mark_told(*, notice: ResidentNotice, actor) -> ResidentNotice:
    """An operator phoned the resident and told her; records who and when.

    Rules: operators and organizers of the request's group; only a notice still to tell.
    """
    if not permissions.can_tell_resident(actor, notice):
        raise NotAllowed
    updated = ResidentNotice.objects.filter(pk=notice.pk, status=NoticeStatus.PENDING).update(
        status=NoticeStatus.TOLD, told_at=timezone.now(), told_by=actor
    )
    if updated != 1:
        raise TransitionNotAllowed
    notice.refresh_from_db()
    logger.info("resident notice %s told by user %s", notice.pk, actor.pk)
    return notice
