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


def flyer_volunteer_names(*, block) -> list[str]:
    """First names of the block's verified volunteers who agreed to be named on its flyer.

    First names only, and only with the volunteer's consent (their profile says so): a flyer
    hangs in a public entrance.
    """
    names = (
        Volunteer.objects.filter(
            blocks=block,
            show_first_name_on_flyer=True,
            status=VolunteerStatus.VERIFIED,
            user__is_active=True,
        )
        .exclude(user__first_name="")
        .order_by("user__first_name")
        .values_list("user__first_name", flat=True)
    )
    return list(dict.fromkeys(name.strip() for name in names))
