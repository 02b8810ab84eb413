"""Reads for printed documents: what goes on a route sheet and on a flyer."""

from __future__ import annotations

from django.db.models import QuerySet

from requests.models import HelpRequest
from requests.transitions import IN_HAND
from volunteers.models import Volunteer, VolunteerStatus


def route_sheet_tasks(*, volunteer: Volunteer) -> QuerySet[HelpRequest]:
    """The tasks a volunteer holds (claimed or bought), in walking order: by address and flat."""
    return (
        HelpRequest.objects.filter(volunteer=volunteer, status__in=IN_HAND)
        .select_related("block", "neighbor")
        .order_by("block__address", "neighbor__entrance", "neighbor__floor", "neighbor__flat")
    )


def flyer_volunteer_names_by_block(*, blocks) -> dict[object, list[str]]:
    """For each block, the first names of its verified volunteers who agreed to be named on
    its flyer (one query for any number of blocks).

    First names only, and only with the volunteer's consent (their profile says so): a flyer
    hangs in a public entrance.
    """
    rows = (
        Volunteer.blocks.through.objects.filter(
            block__in=blocks,
            volunteer__show_first_name_on_flyer=True,
            volunteer__status=VolunteerStatus.VERIFIED,
            volunteer__user__is_active=True,
        )
        .exclude(volunteer__user__first_name="")
        .order_by("volunteer__user__first_name")
        .values_list("block_id", "volunteer__user__first_name")
    )
    names: dict[object, list[str]] = {}
    for block_id, first_name in rows:
        block_names = names.setdefault(block_id, [])
        if first_name.strip() not in block_names:
            block_names.append(first_name.strip())
    return names


def flyer_volunteer_names(*, block) -> list[str]:
    """The first names printed on one block's flyer (see flyer_volunteer_names_by_block)."""
    return flyer_volunteer_names_by_block(blocks=[block]).get(block.pk, [])
