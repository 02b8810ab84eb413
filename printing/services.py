"""Writes behind printing: serials issued for forms, route sheets recorded on each request.

Every print of a form issues new serials (requests.paper_forms), so the intake desk can tell a
real form of this block from a mistyped number; every printed route sheet leaves an event on
each request it lists, because it carries the residents' details out of the system.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covidarnost import permissions
from printing import documents
from printing.models import MAX_FORMS_PER_BLOCK
from printing.selectors import flyer_volunteer_names, route_sheet_tasks
from requests.exceptions import NotAllowed
from requests.models import RequestEvent
from requests.needs import need_labels
from requests.paper_forms import paper_forms_issue
from requests.transitions import Action


def _require_printer(actor, obj) -> None:
    if not permissions.can_print(actor) or not permissions.can_see(actor, obj):
        raise NotAllowed(_("You cannot print for this group."))


def request_forms_print(*, block, count: int, actor) -> bytes:
    """Issue `count` new serials for a block and return its forms as one PDF.

    Rules: organizers and operators of the block's group; 1 to MAX_FORMS_PER_BLOCK forms; the
    group has a hotline phone. Serials and PDF go together: a failed render issues none.
    """
    _require_printer(actor, block)
    count = max(1, min(count, MAX_FORMS_PER_BLOCK))
    group = block.group
    sheet = documents.form_sheet(block=block, group=group)
    hotline = documents.hotline_of(group)
    with transaction.atomic():
        forms = paper_forms_issue(block=block, count=count, actor=actor)
        pages = [
            documents.form_page(sheet=sheet, serial=form.pk, hotline=hotline) for form in forms
        ]
        return documents.render_pages_pdf(pages)


def flyer_print(*, block, actor) -> bytes:
    """The entrance flyer of a block as PDF (nothing is written)."""
    _require_printer(actor, block)
    page = documents.flyer_page(
        block=block, group=block.group, volunteer_names=flyer_volunteer_names(block=block)
    )
    return documents.render_pages_pdf([page])


def route_sheet_print(*, volunteer, actor) -> bytes:
    """A volunteer's tasks in hand, with the residents' details, as PDF; recorded on each task.

    Rules: organizers and operators of the volunteer's group. Each listed request gets a
    "route sheet printed" event naming who printed it (the status does not change).
    """
    _require_printer(actor, volunteer)
    tasks = list(route_sheet_tasks(volunteer=volunteer))
    for task in tasks:
        task.need_labels = [str(label) for label in need_labels(task.needs)]
    pdf = documents.render_pdf(
        "printing/route_sheet.html",
        {
            "volunteer": volunteer,
            "group": volunteer.group,
            "hotline": documents.phone_display(volunteer.group.hotline_phone),
            "tasks": tasks,
            "printed_at": timezone.localtime(),
        },
    )
    with transaction.atomic():
        RequestEvent.objects.bulk_create(
            RequestEvent(
                help_request=task,
                actor=actor,
                action=Action.ROUTE_SHEET_PRINTED,
                from_status=task.status,
                to_status=task.status,
            )
            for task in tasks
        )
    return pdf
