"""Writes of the intake desk: a request typed in from a call or a paper form, in one step."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from covidarnost import permissions
from intake.exceptions import DuplicateSuspected
from intake.selectors import possible_duplicates
from neighbors.models import Block, Neighbor
from neighbors.services import neighbor_create
from requests.exceptions import NotAllowed
from requests.models import HelpRequest, Source
from requests.needs import need_choices, need_labels
from requests.paper_forms import paper_form_problem
from requests.services import help_request_create

logger = logging.getLogger(__name__)


@dataclass
class IntakeEntry:
    """What the operator typed about the request itself (the resident comes separately)."""

    kind: str
    source: str
    needs: list[str] = field(default_factory=list)
    details: str = ""
    urgency: str = ""
    due_at: Any = None
    payment: str = ""
    budget: Decimal | None = None
    form_serial: str = ""


def _details_text(entry: IntakeEntry) -> str:
    # Volunteers read `details`; with only boxes ticked it lists them, in the group's language.
    if entry.details.strip():
        return entry.details.strip()
    with translation.override(settings.LANGUAGE_CODE):
        return ", ".join(str(label) for label in need_labels(entry.needs))


def _check_entry(entry: IntakeEntry, block: Block) -> None:
    offered = {slug for slug, _label in need_choices(block.group)}
    if any(slug not in offered for slug in entry.needs):
        raise ValidationError({"needs": _("Choose needs from the list.")})
    if not entry.needs and not entry.details.strip():
        raise ValidationError({"details": _("Tick what is needed or describe it.")})
    if entry.form_serial:
        if entry.source != Source.PAPER_FORM:
            raise ValidationError({"source": _("A form number goes with a paper form.")})
        problem = paper_form_problem(block=block, serial=entry.form_serial)
        if problem:
            raise ValidationError({"form_serial": problem})


def neighbor_record_consent(*, neighbor: Neighbor, consent: bool, consent_sms: bool) -> None:
    """Record what the resident agreed to (contact; SMS with the code word), once, with when.

    Rules: consent is only ever added here, never withdrawn (that is a staff edit); the time of
    the first consent to contact is kept.
    """
    changed = []
    if consent and neighbor.consent_recorded_at is None:
        neighbor.consent_recorded_at = timezone.now()
        neighbor.consent_to_contact = True
        changed += ["consent_recorded_at", "consent_to_contact"]
    if consent_sms and not neighbor.consent_to_sms:
        neighbor.consent_to_sms = True
        changed.append("consent_to_sms")
    if changed:
        neighbor.save(update_fields=changed)


@transaction.atomic
def intake_request_create(
    *,
    actor,
    entry: IntakeEntry,
    neighbor: Neighbor | None = None,
    new_resident: dict[str, Any] | None = None,
    consent: bool = False,
    consent_sms: bool = False,
    idempotency_key: str = "",
    confirm_duplicate: bool = False,
) -> HelpRequest:
    """Enter a request for a known or a new resident of the desk user's group.

    Rules: operators and organizers of the group only; the same token twice (a double click,
    a reload) gives the first request back; consent is recorded before a first request; a
    form number must be one printed for the resident's block; a request that may repeat one
    entered (same resident and kind, unfinished, within 24 h; or the same form number) raises
    DuplicateSuspected unless confirmed. The request is then announced for matching by
    requests.services.help_request_create.
    """
    group = permissions.intake_group_or_404(actor)
    # One operator's submits run one at a time, so a double click cannot create the
    # resident twice before the token's unique constraint catches the second request.
    get_user_model()._default_manager.select_for_update().filter(pk=actor.pk).first()
    if idempotency_key:
        existing = HelpRequest.objects.filter(
            created_by=actor, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
    if neighbor is not None:
        if neighbor.block.group_id != group.pk:
            raise NotAllowed(_("This resident belongs to another group."))
        block = neighbor.block
    else:
        if not new_resident:
            raise ValidationError({"resident": _("Choose the resident or add a new one.")})
        block = new_resident["block"]
        if block.group_id != group.pk:
            raise ValidationError({"new_block": _("This block belongs to another group.")})
    if not consent and (neighbor is None or neighbor.consent_recorded_at is None):
        raise ValidationError(
            {"consent": _("Ask the resident for consent: without it we cannot keep her data.")}
        )
    _check_entry(entry, block)
    if not confirm_duplicate:
        existing = possible_duplicates(
            group=group, neighbor=neighbor, kind=entry.kind, form_serial=entry.form_serial
        )
        if existing:
            raise DuplicateSuspected(existing)
    if neighbor is None:
        neighbor = neighbor_create(actor=actor, **new_resident)
    neighbor_record_consent(neighbor=neighbor, consent=consent, consent_sms=consent_sms)
    help_request, _created = help_request_create(
        created_by=actor,
        block=block,
        neighbor=neighbor,
        kind=entry.kind,
        details=_details_text(entry),
        source=entry.source,
        needs=entry.needs,
        budget=entry.budget,
        payment=entry.payment,
        urgency=entry.urgency,
        due_at=entry.due_at,
        form_serial=entry.form_serial,
        idempotency_key=idempotency_key or None,
    )
    logger.info("intake: help_request %s entered by user %s", help_request.pk, actor.pk)
    return help_request
