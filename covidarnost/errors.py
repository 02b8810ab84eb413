"""The server error page, and 503 "try again" when the database is unreachable.

Django calls handler500 for any exception no view or middleware handled, still inside the
`except` block, so sys.exc_info() names it. A lost or refused database connection (PostgreSQL
restarting, a terminated backend, a failover) is not a bug but an outage of seconds: the
answer is 503 with Retry-After and a message to try again, JSON under /api/ and a small page
elsewhere, rendered without the database. The transaction of that request was rolled back, so
nothing was half written, and Django drops the broken connection at the end of the request
(errors_occurred + CONN_HEALTH_CHECKS), so the next request connects afresh: no restart.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.defaults import server_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(request) -> HttpResponse:
    message = _("The service is briefly unavailable. Please try again in a few seconds.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        title = escape(_("Try again in a moment"))
        response = HttpResponse(
            f'<!doctype html><html lang="{escape(getattr(request, "LANGUAGE_CODE", "ru"))}">'
            f'<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            f"<title>{title}</title><h1>{title}</h1><p>{escape(message)}</p></html>",
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handler500(request):
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        logger.warning("database unavailable: answered 503 (%s)", type(exc).__name__)
        return database_unavailable(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    return server_error(request)
