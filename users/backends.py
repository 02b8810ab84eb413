"""Sign in with the username or the phone number, whichever the person remembers."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from covidarnost.phones import normalize_phone
from users import login_limits

__all__ = ["UsernameOrPhoneBackend", "normalize_phone"]


class UsernameOrPhoneBackend(ModelBackend):
    """One lookup (username, then phone), then exactly one password hash whatever is found:
    a registered phone takes as long to refuse as an unknown one, and a locked-out account
    or client as long as either."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        account = login_limits.find_account(username)
        if login_limits.locked_out(request, username, account=account) or account is None:
            get_user_model()().set_password(password)  # the same work as a real check
            return None
        if account.check_password(password) and self.user_can_authenticate(account):
            return account
        return None

    def get_user(self, user_id):
        # The group and the volunteer profile come along: permissions.group_locked() and the
        # role checks (permissions.volunteer_profile) read them on nearly every request.
        user = (
            get_user_model()
            ._default_manager.select_related("group", "volunteer")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
