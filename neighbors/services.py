"""Writes for groups, blocks and neighbors.

Each write names its actor to the audit log (privacy.audit.audit_actor): who added or
changed a resident is recorded whichever way it came (admin, intake desk, API, a task).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covidarnost import permissions
from neighbors.models import CONSENT_TO_CONTACT_DEFAULT, Block, Group, Neighbor
from privacy.audit import audit_actor
from requests.exceptions import NotAllowed

# What an organizer or operator may change on a resident (neighbor_update).
EDITABLE_FIELDS = frozenset(
    {
        "block",
        "name",
        "flat",
        "entrance",
        "floor",
        "phone",
        "language",
        "notes",
        "consent_to_contact",
        "consent_to_sms",
        "is_isolated",
        "last_contact_at",
        "keep_data",
    }
)


@transaction.atomic
def neighbor_create(
    *,
    actor,
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
    """Register a resident of a block. Validates every field before saving.

    Who may is the caller's rule (the request, intake and admin services check it); actor is
    who did it, recorded in the audit log.
    """
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
    with audit_actor(actor):
        neighbor.save()
    return neighbor


@transaction.atomic
def neighbor_update(*, neighbor: Neighbor, actor, **changes) -> Neighbor:
    """An organizer or operator changes a resident of their group.

    Rules: permissions.can_edit_resident; only EDITABLE_FIELDS; a new block of the same
    group; every field validated before saving; who changed what goes to the audit log.
    """
    if not permissions.can_edit_resident(actor, neighbor):
        raise NotAllowed
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    block = changes.get("block")
    # The group as stored: an admin form has already put its values on the object.
    group_id = Neighbor.objects.filter(pk=neighbor.pk).values_list("block__group_id", flat=True)
    if block is not None and block.group_id != group_id.get():
        raise ValidationError({"block": _("This block belongs to another group.")})
    for name, value in changes.items():
        setattr(neighbor, name, value)
    neighbor.full_clean()
    with audit_actor(actor):
        neighbor.save(update_fields=list(changes) or None)
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
    with audit_actor(actor):
        neighbor.save(update_fields=["last_contact_at", "last_contact_by"])
    return neighbor


# The fields of a block that its group's organizers write (admin form, file import).
BLOCK_FIELDS = ("code", "address", "entrances", "floors", "latitude", "longitude")


def _require_block_editor(actor, group) -> None:
    if actor is None or not permissions.can_edit_blocks_of(actor, group):
        raise NotAllowed


@transaction.atomic
def block_create(
    *,
    group: Group,
    actor,
    code: str,
    address: str,
    latitude: float,
    longitude: float,
    entrances: int = 1,
    floors: int | None = None,
) -> Block:
    """Add a block to a group.

    Rules: the group's organizers and its network's coordinators (permissions
    .can_edit_blocks_of); the code is unique within the group; coordinates in range; every
    field validated (Block.full_clean) before saving.
    """
    _require_block_editor(actor, group)
    block = Block(
        group=group,
        code=code.strip(),
        address=address.strip(),
        entrances=entrances,
        floors=floors,
        latitude=latitude,
        longitude=longitude,
    )
    block.full_clean()
    block.save()
    return block


@transaction.atomic
def block_update(*, block: Block, actor, **changes) -> Block:
    """Change a block's fields (BLOCK_FIELDS; "group" too, for coordinators moving it).

    Rules: as block_create, for the block's group and for a new group alike; validated before
    saving.
    """
    unknown = set(changes) - {*BLOCK_FIELDS, "group"}
    if unknown:
        raise TypeError(f"block_update() got unknown fields: {sorted(unknown)}")
    # The group as saved, not as an admin form may have set it on the object already.
    saved = Block.objects.select_related("group").get(pk=block.pk)
    _require_block_editor(actor, saved.group)
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(block, name, value)
    if block.group_id != saved.group_id:
        _require_block_editor(actor, block.group)
    block.full_clean()
    block.save()
    return block
