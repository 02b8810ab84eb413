"""Sending notifications once per key, on the channel each user prefers.

Called by Celery tasks (matching, reminders, alerts) with ids only. A NotificationLog row with a
unique key is written in the same transaction as the send: if the send fails the row is rolled
back, so a retry sends it; if the row exists the message is not sent again.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from notifications.backends.base import (
    PermanentNotificationError,
    Recipient,
    SendContext,
    get_backend,
)
from notifications.backends.call_list import CALL_LIST
from notifications.messages import MessageKind, build_context, language_for, render_message
from notifications.models import NotificationLog
from requests.models import Offer
from users.models import Role
from volunteers.models import NotificationChannel

logger = logging.getLogger(__name__)

# Preferred channel first, then these, in order, until one can reach the user.
FALLBACK_CHANNELS = [NotificationChannel.EMAIL, NotificationChannel.CONSOLE]


def _volunteer_of(user):
    try:
        return user.volunteer
    except user.__class__.volunteer.RelatedObjectDoesNotExist:
        return None


def recipient_for(user, volunteer=None) -> Recipient:
    return Recipient(
        user_id=user.pk,
        email=user.email or "",
        phone=str(user.phone) if user.phone else "",
        telegram_chat_id=(volunteer.telegram_chat_id if volunteer else "") or "",
    )


def channels_for(user, volunteer=None) -> list[str]:
    """Channels to try for a user: the volunteer's preference, then email, then console.

    Organizers, operators and coordinators get email. A volunteer without a smartphone gets
    SMS (no links), else goes on the operators' call list: never a link they cannot open.
    """
    if volunteer is not None and user.role == Role.VOLUNTEER and volunteer.no_smartphone:
        return [NotificationChannel.SMS, CALL_LIST]
    preferred = []
    if volunteer is not None and user.role == Role.VOLUNTEER:
        preferred.append(volunteer.notification_channel)
    channels: list[str] = []
    for channel in preferred + FALLBACK_CHANNELS:
        if channel not in channels:
            channels.append(channel)
    return channels


def notify_user(
    *, user_id: int, message: str, key: str, help_request_id=None, offer_id=None
) -> bool:
    """Send one message to one user, once per key. Returns False if it was already sent.

    Rules: the message kind must be known; inactive or deleted users get nothing (False);
    a channel that cannot reach the user (not linked, no address, permanently refused) falls
    back to the next one; a transient error raises TransientNotificationError and leaves no
    log row, so the caller's retry sends it.
    """
    kind = MessageKind(message)
    if NotificationLog.objects.filter(key=key).exists():
        return False
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.info("notification skipped kind=%s user=%s: no active user", kind, user_id)
        return False
    volunteer = _volunteer_of(user)
    short_code = ""
    if offer_id is not None:
        offer = Offer.objects.filter(pk=offer_id).values("short_code", "help_request_id").first()
        if offer is not None:
            short_code = offer["short_code"]
            help_request_id = help_request_id or offer["help_request_id"]
    recipient = recipient_for(user, volunteer)
    language = language_for(user=user, volunteer=volunteer)
    send_context = SendContext(
        kind=kind,
        help_request_id=str(help_request_id) if help_request_id else None,
        offer_id=str(offer_id) if offer_id else None,
    )

    with transaction.atomic():
        # Blocks on the unique key while another worker holds the same key uncommitted;
        # it then fails here (sent) or succeeds (that send was rolled back).
        try:
            with transaction.atomic():
                log = NotificationLog.objects.create(
                    key=key,
                    channel="",
                    recipient_id=user.pk,
                    help_request_id=help_request_id,
                )
        except IntegrityError:
            return False
        channel = _send_first_reachable(
            user=user,
            volunteer=volunteer,
            recipient=recipient,
            kind=kind,
            language=language,
            send_context=send_context,
            help_request_id=help_request_id,
            offer_id=offer_id,
            short_code=short_code,
        )
        log.channel = channel
        log.save(update_fields=["channel"])
    return True


def _send_first_reachable(
    *,
    user,
    volunteer,
    recipient,
    kind,
    language,
    send_context,
    help_request_id,
    offer_id,
    short_code,
) -> str:
    last_error: PermanentNotificationError | None = None
    for channel in channels_for(user, volunteer):
        backend = get_backend(channel)
        if not backend.can_send(recipient):
            continue
        template_context = build_context(
            channel=channel,
            help_request_id=help_request_id,
            offer_id=offer_id,
            short_code=short_code,
        )
        template_context["no_links"] = bool(volunteer is not None and volunteer.no_smartphone)
        rendered = render_message(kind=kind, language=language, context=template_context)
        context = SendContext(
            kind=send_context.kind,
            subject=rendered.subject,
            help_request_id=send_context.help_request_id,
            offer_id=send_context.offer_id,
        )
        try:
            backend.send(recipient, rendered.text, rendered.buttons, context=context)
        except PermanentNotificationError as exc:
            logger.warning(
                "notification channel=%s user=%s %s failed permanently: %s; trying next",
                channel,
                user.pk,
                send_context.log_ids(),
                exc,
            )
            last_error = exc
            continue
        return channel
    # The console backend always accepts; reaching here means settings removed it.
    raise last_error or PermanentNotificationError("no channel can reach the user")


def alert_organizers(*, group_id, message: str, key: str, help_request_id=None) -> int:
    """Alert every active organizer of a group, once each; returns how many were notified now.

    Each organizer has their own key (f"{key}:{user_id}"), so a retry after a transient error
    skips those already alerted.
    """
    MessageKind(message)
    organizer_ids = list(
        get_user_model()
        ._default_manager.filter(group_id=group_id, role=Role.ORGANIZER, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for user_id in organizer_ids:
        if notify_user(
            user_id=user_id,
            message=message,
            key=f"{key}:{user_id}",
            help_request_id=help_request_id,
        ):
            sent += 1
    return sent
