"""SMS gateway calls: a JSON body built from SMS_GATEWAY_TEMPLATE with {phone} and {text}."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import constant_time_compare

from notifications.http import post_json


def is_configured() -> bool:
    return bool(settings.SMS_GATEWAY_URL)


def build_body(*, phone: str, text: str):
    """The gateway's JSON body: placeholders are filled inside string values after parsing,
    so quotes or newlines in the text cannot break the JSON."""
    try:
        template = json.loads(settings.SMS_GATEWAY_TEMPLATE)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured("SMS_GATEWAY_TEMPLATE must be a JSON document") from exc

    def fill(node):
        if isinstance(node, str):
            return node.replace("{phone}", phone).replace("{text}", text)
        if isinstance(node, list):
            return [fill(item) for item in node]
        if isinstance(node, dict):
            return {key: fill(value) for key, value in node.items()}
        return node

    return fill(template)


def send_sms(phone: str, text: str) -> None:
    headers = {}
    if settings.SMS_GATEWAY_TOKEN:
        headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
    post_json(
        settings.SMS_GATEWAY_URL,
        build_body(phone=phone, text=text),
        headers=headers,
        what="sms gateway",
    )


def inbound_secret_ok(value: str | None) -> bool:
    secret = settings.SMS_INBOUND_SECRET
    return bool(secret) and constant_time_compare(value or "", secret)
