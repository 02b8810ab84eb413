"""Structured needs: the checkboxes of the paper form and of the intake desk.

Stored on HelpRequest.needs as a list of these slugs, so volunteers see the same short list in
every language and the free-text details stay for what the boxes do not say.
"""

from django.utils.translation import gettext_lazy as _

COMMON_NEEDS: dict[str, object] = {
    "bread_milk": _("Bread, milk"),
    "groceries_list": _("Groceries from a list"),
    "ready_meals": _("Ready meals"),
    "medicine_otc": _("Medicine without prescription"),
    "medicine_prescription": _("Medicine on prescription"),
    "hygiene": _("Hygiene products"),
    "pet_food": _("Pet food"),
    "rubbish": _("Take out the rubbish"),
    "bills": _("Pay bills"),
    "phone_call": _("A phone call, a chat"),
}


def need_choices(group=None) -> list[tuple[str, object]]:
    """The needs offered to a group, in the order printed on the form."""
    return list(COMMON_NEEDS.items())


def need_labels(slugs) -> list[object]:
    """Labels of stored need slugs, skipping any no longer offered."""
    return [COMMON_NEEDS[slug] for slug in slugs if slug in COMMON_NEEDS]
