"""Phone numbers as people type them: one normaliser for sign-in, the intake desk and SMS."""

from __future__ import annotations

import phonenumbers
from django.conf import settings


def parse_phone(value: str) -> phonenumbers.PhoneNumber | None:
    """The number typed any common way (8 921 …, +7 (921) …, 921 …), or None if unreadable."""
    try:
        number = phonenumbers.parse(value or "", settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return number


def normalize_phone(value: str) -> str | None:
    """E.164 form of a phone number typed any common way, or None."""
    number = parse_phone(value)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(value) -> bool:
    """Whether a number can receive SMS: a mobile number (or one the plan cannot tell apart)."""
    number = parse_phone(str(value or ""))
    if number is None:
        return False
    kind = phonenumbers.number_type(number)
    types = phonenumbers.PhoneNumberType
    return kind in (types.MOBILE, types.FIXED_LINE_OR_MOBILE)
