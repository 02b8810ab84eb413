"""Sign in with the username or the phone number, whichever the person remembers."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from covidarnost.phones import normalize_phone

__all__ = ["UsernameOrPhoneBackend", "normalize_phone"]


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

    def get_user(self, user_id):
        # The group comes along: permissions.group_locked() reads it on every request.
        user = get_user_model()._default_manager.select_related("group").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
