"""QR codes of printed forms: what they hold and how they are drawn."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.conf import settings

from printing.layout import FORM_LAYOUT

# Medium error correction survives a crease or a coffee ring and keeps the modules large.
ERROR_LEVEL = "m"
# The quiet zone QR readers need around the code, in modules (the standard asks for 4).
QUIET_ZONE = 4
# A fixed mask pattern: choosing the best of eight took most of a batch's QR time, and any
# mask reads fine at 0.7 mm a module.
MASK = 4


def _make(payload: str):
    return segno.make(payload, error=ERROR_LEVEL, micro=False, mask=MASK, boost_error=False)


def form_qr_payload(*, block_id, serial: int, layout_version: int | None = None) -> str:
    """The address the form's QR code opens: the intake desk, with block, serial and layout."""
    query = urlencode(
        {
            "block": str(block_id),
            "serial": str(serial),
            "layout": str(layout_version or FORM_LAYOUT.version),
        }
    )
    return f"{settings.SITE_URL}/intake/?{query}"


def qr_png_data_uri(payload: str) -> str:
    """A PNG data URI of the code, one pixel a module, quiet zone included.

    The template prints it at its size with crisp (unsmoothed) pixels, so the modules stay
    sharp squares. PNG rather than SVG: WeasyPrint decodes a tiny PNG in C but parses an SVG
    path in Python, which cost more than the rest of a form's variable part.
    """
    return _make(payload).png_data_uri(scale=1, border=QUIET_ZONE, dark="#000", light="#fff")


def qr_module_count(payload: str) -> int:
    """Modules across the code without its quiet zone (to check the printed module size)."""
    return _make(payload).symbol_size(border=0)[0]
