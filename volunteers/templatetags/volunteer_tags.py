"""Small display filters of the volunteer pages: distances, money, map links."""

from __future__ import annotations

from urllib.parse import quote

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def distance(metres) -> str:
    """Metres as "850 м" under a kilometre, else "1,2 км" (localized decimal separator)."""
    if metres is None:
        return ""
    metres = float(metres)
    if metres < 1000:
        # Rounded to 10 m: the distance is measured from a base point, not a doorstep.
        return _("%(metres)s m") % {"metres": number_format(round(metres, -1), 0)}
    return _("%(km)s km") % {"km": number_format(metres / 1000, 1)}


@register.filter
def money(amount) -> str:
    """An amount in roubles with the locale's grouping and decimal separator."""
    if amount is None:
        return ""
    return _("%(amount)s ₽") % {
        "amount": number_format(amount, 2, use_l10n=True, force_grouping=True)
    }


@register.filter
def geo_uri(block) -> str:
    """A geo: URI (RFC 5870) that opens the block in the phone's map app."""
    point = f"{block.latitude:.6f},{block.longitude:.6f}"
    return f"geo:{point}?q={point}({quote(block.address)})"
