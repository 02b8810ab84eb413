"""Telegram linking page and the two webhooks (Telegram updates, inbound SMS).

Webhooks are CSRF-exempt because they authenticate with a shared secret instead of a
session; they answer 403 without it, 400 for a body that is not JSON, 200 otherwise (an
update we do not understand is acknowledged so Telegram does not resend it).
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from covidarnost import permissions
from notifications import inbound, sms, telegram

logger = logging.getLogger(__name__)


@login_required
@require_GET
def telegram_link(request):
    """The volunteer's deep link to the bot; opening it links their chat to this account."""
    volunteer = permissions.volunteer_profile(request.user)
    if volunteer is None:
        raise PermissionDenied
    configured = telegram.is_configured() and bool(settings.TELEGRAM_BOT_USERNAME)
    context = {
        "volunteer": volunteer,
        "nav": "profile",
        "configured": configured,
        "linked": bool(volunteer.telegram_chat_id),
        "deep_link": telegram.deep_link(request.user.pk) if configured else "",
        "max_minutes": settings.TELEGRAM_LINK_MAX_AGE // 60,
    }
    response = render(request, "notifications/telegram_link.html", context)
    # The link is a credential for a few minutes: keep it out of shared caches.
    response["Cache-Control"] = "no-store"
    return response


def _json_body(request):
    try:
        return json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


@csrf_exempt
@require_POST
def telegram_webhook(request):
    if not telegram.webhook_secret_ok(request.headers.get("X-Telegram-Bot-Api-Secret-Token")):
        return HttpResponse(status=403)
    update = _json_body(request)
    if update is None:
        return HttpResponse(status=400)
    inbound.handle_telegram_update(update)
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def sms_inbound(request):
    # In a header only: a secret in the query string ends up in every proxy's access log.
    secret = request.headers.get("X-SMS-Secret")
    if not sms.inbound_secret_ok(secret):
        return HttpResponse(status=403)
    if request.content_type == "application/json":
        body = _json_body(request)
        if not isinstance(body, dict):
            return JsonResponse({"error": "malformed JSON"}, status=400)
    else:
        body = request.POST
    sender, text = body.get("from"), body.get("text")
    if not isinstance(sender, str) or not isinstance(text, str):
        return JsonResponse({"error": "expected 'from' and 'text'"}, status=400)
    inbound.handle_sms_inbound(sender=sender, text=text)
    return JsonResponse({"ok": True})
