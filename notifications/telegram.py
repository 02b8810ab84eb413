"""Telegram Bot API calls over httpx, and the account-linking token of the deep link."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from notifications.http import post_json

LINK_SALT = "notifications.telegram.link"
# Bot API: a /start parameter is at most 64 characters of A-Z a-z 0-9 _ -.
START_PARAM_MAX = 64


def is_configured() -> bool:
    return bool(settings.TELEGRAM_BOT_TOKEN)


def call(method: str, payload: dict) -> dict:
    """Call a Bot API method; raises Transient/PermanentNotificationError on failure."""
    url = f"{settings.TELEGRAM_API_URL}/bot{settings.TELEGRAM_BOT_TOKEN}/{method}"
    response = post_json(url, payload, what=f"telegram {method}")
    return response.json() if response.content else {}


def send_message(chat_id: str, text: str, buttons=()) -> dict:
    payload: dict = {"chat_id": chat_id, "text": text, "disable_web_page_preview": True}
    if buttons:
        payload["reply_markup"] = {
            "inline_keyboard": [
                [{"text": button.label, "callback_data": button.callback_data}]
                for button in buttons
            ]
        }
    return call("sendMessage", payload)


def answer_callback_query(callback_query_id: str, text: str) -> dict:
    return call("answerCallbackQuery", {"callback_query_id": callback_query_id, "text": text})


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=LINK_SALT)


def make_link_token(user_id: int) -> str:
    """A signed, expiring token for the /start deep link, in Telegram's allowed characters.

    TimestampSigner gives "value:timestamp:signature"; the separator is not allowed in a
    start parameter, so the fixed-length signature goes first and the base62 parts (which
    never contain "_") follow, joined by "_".
    """
    value = signing.b62_encode(user_id)
    _value, timestamp, signature = _signer().sign(value).split(":")
    token = f"{signature}{timestamp}_{value}"
    assert len(token) <= START_PARAM_MAX
    return token


def read_link_token(token: str, *, max_age: int | None = None) -> int | None:
    """The user id from a link token, or None if it is forged, malformed or expired."""
    signature_length = len(_signer().signature("x"))
    if not isinstance(token, str) or len(token) > START_PARAM_MAX:
        return None
    signature, rest = token[:signature_length], token[signature_length:]
    timestamp, sep, value = rest.partition("_")
    if not sep or not timestamp or not value:
        return None
    max_age = settings.TELEGRAM_LINK_MAX_AGE if max_age is None else max_age
    try:
        unsigned = _signer().unsign(f"{value}:{timestamp}:{signature}", max_age=max_age)
        return signing.b62_decode(unsigned)
    except (signing.BadSignature, ValueError):
        return None


def deep_link(user_id: int) -> str:
    return f"https://t.me/{settings.TELEGRAM_BOT_USERNAME}?start={make_link_token(user_id)}"


def webhook_secret_ok(header_value: str | None) -> bool:
    """Constant-time check of X-Telegram-Bot-Api-Secret-Token; no secret set means refuse."""
    secret = settings.TELEGRAM_WEBHOOK_SECRET
    return bool(secret) and constant_time_compare(header_value or "", secret)
