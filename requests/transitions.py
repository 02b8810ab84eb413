"""The one table of allowed status changes of a help request."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from requests.models import IN_HAND, Status


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    CLAIM = "claim", _("Claimed")
    RELEASE = "release", _("Released")
    MARK_BOUGHT = "mark_bought", _("Bought")
    DELIVER = "deliver", _("Delivered")
    UNDELIVERABLE = "undeliverable", _("Could not deliver")
    CANCEL = "cancel", _("Cancelled")
    REOPEN = "reopen", _("Reopened")
    # Not a status change: after a release or "could not deliver" the request gets a new code
    # word, so the volunteer who gave it back cannot pass as the next one at the door.
    NEW_CODE_WORD = "new_code_word", _("New code word")
    # Not status changes either: corrections by staff, and a volunteer paid back.
    UPDATE = "update", _("Corrected")
    REIMBURSE = "reimburse", _("Reimbursed")
    # Not a status change: the request's details left the system on paper (printing app).
    ROUTE_SHEET_PRINTED = "route_sheet_printed", _("Route sheet printed")


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str


TRANSITIONS: dict[str, Transition] = {
    Action.CLAIM: Transition(frozenset({Status.OPEN}), Status.CLAIMED),
    Action.RELEASE: Transition(IN_HAND, Status.OPEN),
    Action.MARK_BOUGHT: Transition(frozenset({Status.CLAIMED}), Status.BOUGHT),
    Action.DELIVER: Transition(IN_HAND, Status.DELIVERED),
    Action.UNDELIVERABLE: Transition(IN_HAND, Status.OPEN),
    Action.CANCEL: Transition(frozenset({Status.OPEN}) | IN_HAND, Status.CANCELLED),
    Action.REOPEN: Transition(frozenset({Status.CANCELLED}), Status.OPEN),
}
