"""Account pages: the second factor (set up, confirm) and signing out everywhere."""

from __future__ import annotations

import io
from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from covidarnost import permissions
from users.services import (
    second_factor_confirm,
    second_factor_device,
    second_factor_match,
    second_factor_setup_start,
    user_sign_out_everywhere,
)


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=gettext_lazy(
            "The 6 digits your authenticator app shows now, or one of your recovery codes."
        ),
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)


def _next(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return "/admin/"


def _qr_svg(uri: str) -> str:
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=4, border=4, xmldecl=False)
    return buffer.getvalue().decode()


@never_cache
@login_required
def two_factor(request):
    """Confirm this session with a code; the first time, set the authenticator app up."""
    if not permissions.needs_second_factor(request.user):
        return redirect("/")  # volunteers (and everyone while it is off) have nothing to confirm
    device = second_factor_device(user=request.user)
    form = CodeForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if device is None:
            try:
                codes = second_factor_confirm(user=request.user, token=token)
            except ValidationError as exc:
                form.add_error("token", exc.message_dict["token"])
            else:
                otp_login(request, second_factor_device(user=request.user))
                return render(
                    request,
                    "registration/recovery_codes.html",
                    {"codes": codes, "next": _next(request, form.cleaned_data["next"])},
                )
        else:
            matched = second_factor_match(user=request.user, token=token)
            if matched is not None:
                otp_login(request, matched)
                return redirect(_next(request, form.cleaned_data["next"]))
            form.add_error("token", _("This code does not match. Type the current one."))
    context = {"form": form, "setting_up": device is None}
    if device is None:
        pending = second_factor_setup_start(user=request.user)
        context.update(qr_svg=_qr_svg(pending.config_url), secret=_base32(pending))
    return render(
        request, "registration/two_factor.html", context, status=400 if form.is_bound else 200
    )


def _base32(device) -> str:
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@require_POST
@login_required
def sign_out_everywhere(request):
    """End every session and API token of the signed-in account, this one included."""
    user_sign_out_everywhere(user=request.user, actor=request.user)
    logout(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect("login")
