"""Serials of printed request forms: issued when printed, checked when typed in at intake."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from neighbors.models import Block
from requests.models import HelpRequest, PaperForm

LAYOUT_VERSION = 1


@transaction.atomic
def paper_forms_issue(*, block: Block, count: int, actor) -> list[PaperForm]:
    """Allocate `count` new serials for forms of a block (callers check who may print)."""
    if count < 1:
        return []
    forms = [
        PaperForm(block=block, layout_version=LAYOUT_VERSION, printed_by=actor)
        for _ in range(count)
    ]
    # Ids come back from the INSERT on PostgreSQL and SQLite alike.
    return PaperForm.objects.bulk_create(forms)


def paper_form_problem(*, block: Block, serial: str) -> str | None:
    """Why a typed serial cannot be used for a request of this block, or None if it can.

    Rules: the serial was issued, and for this block. Whether a request already used it is
    told apart by paper_form_used_by, because that one asks to confirm, not to fix.
    """
    serial = (serial or "").strip()
    if not serial.isdigit():
        return _("A form number has digits only.")
    form = PaperForm.objects.filter(pk=int(serial)).only("block_id").first()
    if form is None:
        return _("No form with this number was printed.")
    if form.block_id != block.pk:
        return _("This form was printed for another block.")
    return None


def paper_form_used_by(*, serial: str) -> HelpRequest | None:
    """The request already entered from this form serial, if any."""
    serial = (serial or "").strip()
    if not serial:
        return None
    return HelpRequest.objects.filter(form_serial=serial).order_by("created_at").first()
