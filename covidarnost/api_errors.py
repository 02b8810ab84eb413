"""How the API turns errors into responses: one place for every view.

Bodies are always JSON: {"detail": message} or field errors {"field": [messages]}, with
messages in the language of the request (LocaleMiddleware reads Accept-Language).

- Rule errors from the services (requests.exceptions): claims stopped after too many
  releases → 429; a status conflict → 409; NotAllowed →
  403, or 404 on views that set `not_allowed_status = 404` (task endpoints, where "not yours"
  must look like "does not exist").
- Django's ValidationError from a service or a model's full_clean → 400 field errors.
- A body over DATA_UPLOAD_MAX_MEMORY_SIZE → 413.
- A path under /api/ that no endpoint serves → JSON 404 (api_not_found, the last route).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from requests.exceptions import ClaimsStopped, NotAllowed, RequestError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This action is not possible in the request's current status.")
    default_code = "conflict"


class ClaimsStoppedError(exceptions.APIException):
    """Claims stopped until an organizer allows them again: 429, with the reason."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = ClaimsStopped.default_message
    default_code = "claims_stopped"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def _field_errors(exc: DjangoValidationError) -> dict | list:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": [str(message) for message in exc.messages]}


def translate_exception(exc: Exception, view=None) -> Exception:
    """Map a domain or Django exception to the DRF exception that describes it."""
    if isinstance(exc, NotAllowed):
        if getattr(view, "not_allowed_status", 403) == status.HTTP_404_NOT_FOUND:
            return exceptions.NotFound(str(exc))
        return exceptions.PermissionDenied(str(exc))
    if isinstance(exc, ClaimsStopped):
        return ClaimsStoppedError(str(exc))
    if isinstance(exc, RequestError):
        # TransitionNotAllowed, AlreadyTaken, VolunteerCannotClaim, SafetyProtocolNotAccepted.
        return Conflict(str(exc))
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(_field_errors(exc))
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    return exc


def api_exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: domain errors first, then DRF's own handling."""
    exc = translate_exception(exc, context.get("view"))
    return drf_exception_handler(exc, context)


@csrf_exempt  # a POST answered 404, not Django's HTML CSRF page (the API's views are exempt too)
def api_not_found(request, rest=""):
    """Any path under /api/ that no endpoint serves: a JSON 404, like the API's own ones (an
    HTML page, or Django's debug page, would break clients that parse every answer)."""
    return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
