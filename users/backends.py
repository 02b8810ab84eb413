"""Sign in with the username or the phone number, whichever the person remembers."""

import phonenumbers
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def normalize_phone(value: str) -> str | None:
    """E.164 form of a phone number typed any common way (8 911 …, +7 (911) …), or None."""
    try:
        number = phonenumbers.parse(value, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None or not username or not password:
            return user
        phone = normalize_phone(username)
        if phone is None:
            return None
        candidate = get_user_model()._default_manager.filter(phone=phone).first()
        if candidate is None or not self.user_can_authenticate(candidate):
            return None
        return candidate if candidate.check_password(password) else None
