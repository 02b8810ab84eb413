"""PDF downloads for organizers and operators: forms, flyers, route sheets and batches.

Every view asks covidarnost.permissions for the object (404 for anyone else, another group's
id included) and calls a service; the language is Russian unless ?lang= or the user's own
language choice says otherwise.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from covidarnost import permissions
from printing import services
from printing.documents import HotlineMissing
from printing.models import MAX_FORMS_PER_BLOCK, PrintBatchStatus

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def print_language(request) -> str:
    """?lang=en wins; else the language the user chose (LocaleMiddleware); else Russian."""
    requested = request.GET.get("lang", "")
    if requested in LANGUAGE_CODES:
        return requested
    return getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _forms_count(request) -> int:
    try:
        count = int(request.GET.get("count", "1"))
    except ValueError:
        count = 1
    return max(1, min(count, MAX_FORMS_PER_BLOCK))


def _hotline_missing(request, error: HotlineMissing) -> HttpResponse:
    return render(request, "printing/cannot_print.html", {"message": error.messages[0]}, status=409)


@never_cache
@require_GET
def request_forms(request, pk):
    block = permissions.get_block_for_print(request.user, pk)
    with translation.override(print_language(request)):
        try:
            pdf = services.request_forms_print(
                block=block, count=_forms_count(request), actor=request.user
            )
        except HotlineMissing as error:
            return _hotline_missing(request, error)
    return _pdf(pdf, f"forms-{block.code}.pdf")


@never_cache
@require_GET
def flyer(request, pk):
    block = permissions.get_block_for_print(request.user, pk)
    with translation.override(print_language(request)):
        try:
            pdf = services.flyer_print(block=block, actor=request.user)
        except HotlineMissing as error:
            return _hotline_missing(request, error)
    return _pdf(pdf, f"flyer-{block.code}.pdf")


@never_cache
@require_GET
def route_sheet(request, pk):
    volunteer = permissions.get_volunteer_for_route_sheet(request.user, pk)
    with translation.override(print_language(request)):
        pdf = services.route_sheet_print(volunteer=volunteer, actor=request.user)
    # The file holds residents' details: no caching anywhere on the way (never_cache).
    return _pdf(pdf, "route-sheet.pdf")


@never_cache
@require_GET
def batch_status(request, pk):
    """Progress of a batch (the page reloads itself while it runs), then the download link."""
    batch = permissions.get_print_batch(request.user, pk)
    return render(request, "printing/batch.html", {"batch": batch, "title": str(batch)})


@never_cache
@require_GET
def batch_download(request, pk):
    batch = permissions.get_print_batch(request.user, pk)
    if batch.status != PrintBatchStatus.DONE or not batch.file:
        raise Http404
    return FileResponse(
        batch.file.open("rb"),
        content_type="application/pdf",
        filename=f"print-{batch.created_at:%Y-%m-%d}-{batch}.pdf",
    )
