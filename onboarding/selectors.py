"""Reads for joining a group."""

from __future__ import annotations

from neighbors.models import Block
from onboarding.models import INVITE_TOKEN_MAX_LENGTH, Invite


def invite_for_token(token: str) -> Invite | None:
    """The invite a link names (whatever its state), with its group; None for no such link."""
    if not token or len(token) > INVITE_TOKEN_MAX_LENGTH:
        return None
    return Invite.objects.select_related("group").filter(token=token).first()


def blocks_to_choose(*, group) -> list[Block]:
    """The group's blocks a new volunteer may choose, by address (only what the form shows)."""
    return list(
        Block.objects.filter(group=group)
        .only("id", "address", "group_id", "latitude", "longitude")
        .order_by("address")
    )
