"""Session limits and the staff's second factor, for every page (web, admin, session API)."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from covidarnost import permissions

# The session keys this module keeps (unix seconds).
STARTED, SEEN = "session_started_at", "session_seen_at"
# How often "seen" is written: idle limits are measured to about this precision.
SEEN_EVERY_STAFF, SEEN_EVERY_VOLUNTEER = 60, 60 * 60


def _is_staff(user) -> bool:
    return permissions.is_coordinator(user) or permissions.is_staff_of_group(user) or user.is_staff


def _limits(user) -> tuple[int, int | None, int]:
    """(idle seconds, absolute seconds or None, how often to record activity)."""
    if _is_staff(user):
        return (
            settings.SESSION_STAFF_IDLE_SECONDS,
            settings.SESSION_STAFF_MAX_SECONDS,
            SEEN_EVERY_STAFF,
        )
    return settings.SESSION_VOLUNTEER_IDLE_SECONDS, None, SEEN_EVERY_VOLUNTEER


class SessionLifetimeMiddleware:
    """End a session idle longer than its limit, or (staff) older than 12 hours."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            expired = self._check(request, user)
            if expired is not None:
                return expired
        return self.get_response(request)

    def _check(self, request, user):
        session = request.session
        now = int(time.time())
        idle, absolute, seen_every = _limits(user)
        started = session.get(STARTED)
        seen = session.get(SEEN)
        if started is None:
            session[STARTED] = started = now
        too_idle = seen is not None and now - seen > idle
        too_old = absolute is not None and now - started > absolute
        if too_idle or too_old:
            logout(request)
            return _to_sign_in(request, _("Your session has ended. Please sign in again."))
        if seen is None or now - seen >= seen_every:
            session[SEEN] = now
            # The cookie and the stored session expire with the idle limit too.
            session.set_expiry(idle)
        return None


class SecondFactorMiddleware:
    """Staff who have not confirmed a one-time code this session reach only the code pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and permissions.needs_second_factor(user)
            and not user.is_verified()
            and not self._allowed(request.path)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Confirm your two-factor code on the web first.")}, status=403
                )
            target = reverse("two_factor")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        allowed = (
            reverse("two_factor"),
            reverse("logout"),
            "/i18n/",
            settings.STATIC_URL,
        )
        return path.startswith(allowed)


def _to_sign_in(request, message: str):
    messages.info(request, message)
    target = reverse("login")
    if request.method == "GET" and not request.path.startswith("/api/"):
        target += "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(target)


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """user_logged_in: the session's clock starts now (no extra write on the next page)."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now
    request.session.set_expiry(_limits(user)[0])
