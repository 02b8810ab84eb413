"""Public pages: sign-up through an invite link, "forgot password", set a new password.

Nothing here shows a group's data beyond its name and its blocks' addresses (which the
invite link's holder is asked to choose from); a link that does not work says so and no more.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from onboarding import selectors, services
from onboarding.forms import PasswordHelpForm, SignUpForm
from onboarding.models import InviteState
from onboarding.tasks import EMAIL_PASSWORD_LINK
from requests.enqueue import safe_enqueue
from users import login_limits


def _gone(request, invite):
    """A link that does not (or no longer) work: its state and the group's name, nothing else."""
    state = invite.state() if invite is not None else None
    context = {"state": state, "group_name": invite.group.name if invite else ""}
    return render(
        request, "onboarding/invite_gone.html", context, status=404 if invite is None else 410
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@never_cache
def join(request, token):
    """Sign up as a volunteer of the invite's group; the account waits for verification."""
    invite = selectors.invite_for_token(token)
    if invite is None or invite.state() != InviteState.LIVE:
        return _gone(request, invite)
    if request.user.is_authenticated:
        return render(request, "onboarding/join_signed_in.html", {"group_name": invite.group.name})
    blocks = selectors.blocks_to_choose(group=invite.group)
    form = SignUpForm(request.POST or None, invite=invite, blocks=blocks)
    status = 200
    if request.method == "POST":
        status = 400
        if not login_limits.public_form_allowed(request, "join", settings.JOIN_CLIENT_ATTEMPTS):
            form.is_valid()  # shows the form as typed
            form.add_error(None, _("Too many sign-ups from this connection. Try again in an hour."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                volunteer = services.volunteer_sign_up(
                    invite=invite,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    phone=data["phone"],
                    password=data["password1"],
                    languages=data["languages"],
                    has_car=data["has_car"],
                    does_pharmacy=data["does_pharmacy"],
                    does_legal_consultation=data["does_legal_consultation"],
                    does_psychological_consultation=data["does_psychological_consultation"],
                    blocks=data.get("blocks", []),
                )
            except services.InviteNotUsable:
                invite.refresh_from_db()
                return _gone(request, invite)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                login(request, volunteer.user, backend=settings.AUTHENTICATION_BACKENDS[0])
                messages.success(
                    request,
                    _(
                        "Welcome! An organizer will verify your account; meanwhile, read "
                        "the safety rules."
                    ),
                )
                return redirect("volunteers:safety")
    context = {"form": form, "group_name": invite.group.name, "personal": invite.is_personal}
    return render(request, "onboarding/join.html", context, status=status)


@never_cache
def password_help(request):
    """ "Forgot password": the request goes to the account's organizers (and, where email is
    configured, a link to the account's address); the answer is the same whoever asks."""
    form = PasswordHelpForm(request.POST or None)
    if request.method == "POST":
        if not login_limits.public_form_allowed(
            request, "password-help", settings.PASSWORD_HELP_CLIENT_ATTEMPTS
        ):
            form.is_valid()
            form.add_error(None, _("Too many requests from this connection. Try again in an hour."))
            return render(request, "onboarding/password_help.html", {"form": form}, status=429)
        if form.is_valid():
            asked = services.password_help_request(text=form.cleaned_data["login"])
            if asked is not None and services.email_is_configured():
                # Sent by a task: the answer takes as long whether the account exists or not.
                user_id = asked.user_id
                transaction.on_commit(lambda: safe_enqueue(EMAIL_PASSWORD_LINK, user_id))
            return render(request, "onboarding/password_help_sent.html")
    return render(
        request,
        "onboarding/password_help.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Set a new password with a one-time link (Django's token, PASSWORD_RESET_TIMEOUT)."""

    template_name = "onboarding/password_set.html"
    success_url = reverse_lazy("onboarding:password_set_done")


class PasswordSetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "onboarding/password_set_done.html"
