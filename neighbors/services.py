"""Writes for groups, blocks and neighbors."""

from django.db import transaction
from django.utils import timezone

from covidarnost import permissions
from neighbors.models import CONSENT_TO_CONTACT_DEFAULT, Block, Neighbor
from requests.exceptions import NotAllowed


@transaction.atomic
def neighbor_create(
    *,
    block: Block,
    name: str,
    flat: str = "",
    phone: str = "",
    entrance: int | None = None,
    floor: int | None = None,
    notes: str = "",
    consent_to_contact: bool = CONSENT_TO_CONTACT_DEFAULT,
    is_isolated: bool = False,
) -> Neighbor:
    """Register a resident of a block. Validates every field before saving."""
    neighbor = Neighbor(
        block=block,
        name=name.strip(),
        flat=flat.strip(),
        phone=phone or "",
        entrance=entrance,
        floor=floor,
        notes=notes,
        consent_to_contact=consent_to_contact,
        is_isolated=is_isolated,
    )
    neighbor.full_clean()
    neighbor.save()
    return neighbor


@transaction.atomic
def neighbor_record_contact(*, neighbor: Neighbor, actor) -> Neighbor:
    """A volunteer of the block (or staff) spoke with the neighbor; resets the weekly check-in.

    Rules: covidarnost.permissions.can_check_in decides who may; who it was is recorded.
    """
    if not permissions.can_check_in(actor, neighbor):
        raise NotAllowed
    neighbor.last_contact_at = timezone.now()
    neighbor.last_contact_by = actor
    neighbor.save(update_fields=["last_contact_at", "last_contact_by"])
    return neighbor
