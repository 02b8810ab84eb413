"""Sign-in forms: one field that takes a phone number or a username, and a limit on guessing."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from users import login_limits

LOCKED_MESSAGE = _(
    "Too many failed attempts for this account or from this connection. Try again later, "
    "or ask an organizer to reset your password."
)


class LimitedLoginMixin:
    """Refuse an account after too many failed sign-ins, before checking the password."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and login_limits.locked_out(self.request, username):
            raise ValidationError(LOCKED_MESSAGE, code="throttled")
        # Failures are counted by users.login_limits from the user_login_failed signal.
        return super().clean()


class LoginForm(LimitedLoginMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The phone number, username or password is wrong. Both fields may be case-sensitive."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("Phone number or username")
        username.widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].label = _("Password")


class AdminLoginForm(LimitedLoginMixin, AdminAuthenticationForm):
    """The organizers' admin sign-in, with the same limit."""
