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


def qr_svg_data_uri(payload: str) -> str:
    """An SVG data URI of the code, quiet zone included; the template sets its printed size."""
    code = segno.make(payload, error=ERROR_LEVEL, micro=False)
    return code.svg_data_uri(scale=1, border=QUIET_ZONE, dark="#000", light="#fff")


def qr_module_count(payload: str) -> int:
    """Modules across the code without its quiet zone (to check the printed module size)."""
    return segno.make(payload, error=ERROR_LEVEL, micro=False).symbol_size(border=0)[0]
