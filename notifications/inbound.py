"""Answers that come back through the channels: Telegram updates and inbound SMS.

Both end in requests.offers (offer_accept / offer_decline), which enforce every rule. Replies
hold ids and links only; nothing here logs chat ids, phone numbers or message texts.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from covidarnost import permissions
from notifications import sms, telegram
from notifications.backends.base import NotificationError
from notifications.messages import language_for, site_link
from requests.exceptions import RequestError
from requests.models import Offer, OfferStatus
from requests.offers import offer_accept, offer_decline
from users.backends import normalize_phone
from volunteers.models import Volunteer
from volunteers.services import volunteer_link_telegram, volunteer_unlink_telegram

logger = logging.getLogger(__name__)

DECLINE_WORDS = {"no", "нет", "n", "н"}


# --- Telegram -----------------------------------------------------------------------------


def _telegram_language(volunteer: Volunteer | None, sender: dict | None) -> str:
    if volunteer is not None:
        return language_for(user=volunteer.user, volunteer=volunteer)
    code = str((sender or {}).get("language_code") or "")[:2]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _volunteer_for_chat(chat_id: str) -> Volunteer | None:
    if not chat_id:
        return None
    volunteer = Volunteer.objects.select_related("user").filter(telegram_chat_id=chat_id).first()
    if volunteer is None or permissions.volunteer_profile(volunteer.user) is None:
        return None
    return volunteer


def _safe_telegram(method: str, payload: dict) -> None:
    """A reply that fails is logged and dropped: the action itself is already saved."""
    try:
        telegram.call(method, payload)
    except NotificationError as exc:
        logger.warning("telegram %s failed: %s", method, exc)


def handle_telegram_update(update) -> None:
    """Dispatch one Bot API update; anything unknown or malformed is ignored."""
    if not isinstance(update, dict):
        return
    message, callback = update.get("message"), update.get("callback_query")
    if isinstance(message, dict):
        _handle_telegram_message(message)
    elif isinstance(callback, dict):
        _handle_telegram_callback(callback)


def _handle_telegram_message(message: dict) -> None:
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    chat_id = str(chat.get("id") or "")
    # Offers are private: the bot never links a group chat.
    if not chat_id or chat.get("type") != "private":
        return
    command, _sep, argument = text.strip().partition(" ")
    command = command.split("@")[0]
    sender = message.get("from") if isinstance(message.get("from"), dict) else None
    if command == "/start":
        user_id = telegram.read_link_token(argument.strip()) if argument.strip() else None
        volunteer = volunteer_link_telegram(user_id=user_id, chat_id=chat_id) if user_id else None
        with translation.override(_telegram_language(volunteer, sender)):
            if volunteer is not None:
                reply = _("Your account is linked. Task offers will come here.")
            else:
                reply = _(
                    "This link is not valid or has expired. Open the Telegram page on the "
                    "site again: %(url)s"
                ) % {"url": site_link("/notifications/telegram/link/")}
        _safe_telegram("sendMessage", {"chat_id": chat_id, "text": reply})
    elif command == "/stop":
        volunteer_unlink_telegram(chat_id=chat_id)
        with translation.override(_telegram_language(None, sender)):
            reply = _("This chat is unlinked. Offers will come by email.")
        _safe_telegram("sendMessage", {"chat_id": chat_id, "text": reply})


def _handle_telegram_callback(callback: dict) -> None:
    callback_id = str(callback.get("id") or "")
    data = callback.get("data") if isinstance(callback.get("data"), str) else ""
    message = callback.get("message") if isinstance(callback.get("message"), dict) else {}
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    sender = callback.get("from") if isinstance(callback.get("from"), dict) else {}
    chat_id = str(chat.get("id") or sender.get("id") or "")
    if not callback_id:
        return
    volunteer = _volunteer_for_chat(chat_id)
    with translation.override(_telegram_language(volunteer, sender)):
        action, _sep, offer_id = data.partition(":")
        if volunteer is None:
            reply = _("This chat is not linked to a volunteer account.")
        elif action not in ("claim", "decline"):
            reply = _("Unknown answer.")
        else:
            reply, done = _answer_offer(volunteer=volunteer, offer_id=offer_id, action=action)
            if done and message.get("message_id"):
                # Remove the buttons so the answered offer cannot be pressed again.
                _safe_telegram(
                    "editMessageReplyMarkup",
                    {"chat_id": chat_id, "message_id": message["message_id"]},
                )
    _safe_telegram("answerCallbackQuery", {"callback_query_id": callback_id, "text": reply})


def _answer_offer(*, volunteer: Volunteer, offer_id, action: str) -> tuple[str, bool]:
    """Accept or decline one of the volunteer's own offers; returns (reply, done)."""
    try:
        offer = (
            Offer.objects.select_related("help_request")
            .filter(pk=offer_id, volunteer=volunteer)
            .first()
        )
    except (ValidationError, ValueError):
        offer = None
    if offer is None:
        return _("This offer was not found."), False
    try:
        if action == "claim":
            help_request = offer_accept(offer=offer, volunteer=volunteer)
            return _("Task %(short_id)s is yours. Open it: %(url)s") % {
                "short_id": help_request.short_id,
                "url": site_link(f"/tasks/{help_request.pk}/"),
            }, True
        offer_decline(offer=offer, volunteer=volunteer)
        return _("Declined. Thank you for answering."), True
    except RequestError as exc:
        return str(exc), False
    except ValidationError:
        return _("This answer could not be saved. Please open the task page."), False


# --- SMS ----------------------------------------------------------------------------------


def handle_sms_inbound(*, sender: str, text: str) -> None:
    """A volunteer answers an offer by SMS: its reply code takes it, "no" declines.

    Numbers that belong to no volunteer get no reply, so the gateway cannot be used to
    find out who is registered.
    """
    phone = normalize_phone(sender or "")
    if phone is None:
        return
    user = get_user_model()._default_manager.filter(phone=phone).first()
    volunteer = permissions.volunteer_profile(user)
    if volunteer is None:
        return
    word = (text or "").strip().strip(".!").strip().lower()
    with translation.override(language_for(user=user, volunteer=volunteer)):
        if word in DECLINE_WORDS:
            offer = (
                Offer.objects.filter(volunteer=volunteer, status=OfferStatus.PENDING)
                .order_by("-created_at")
                .first()
            )
            if offer is None:
                reply = _("You have no offer waiting for an answer.")
            else:
                reply, _done = _answer_offer(
                    volunteer=volunteer, offer_id=offer.pk, action="decline"
                )
        else:
            offer = (
                Offer.objects.filter(volunteer=volunteer, short_code__iexact=word)
                .order_by("-created_at")
                .first()
                if word
                else None
            )
            if offer is None:
                reply = _("Code not recognised. Reply with the code from the offer, or NO.")
            else:
                reply, _done = _answer_offer(volunteer=volunteer, offer_id=offer.pk, action="claim")
    if not sms.is_configured():
        return
    try:
        sms.send_sms(phone, reply)
    except NotificationError as exc:
        logger.warning("sms reply to user=%s failed: %s", user.pk, exc)
