"""Reading printed PDFs back in tests: text, font sizes, shapes and the QR code."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pdfplumber
import pypdfium2
import zxingcpp

MM = 72 / 25.4  # PDF points per millimetre


@dataclass
class PdfPage:
    text: str
    min_char_size: float
    chars: list
    rects: list


def read_pdf(data: bytes) -> list[PdfPage]:
    assert data.startswith(b"%PDF"), data[:20]
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            pages.append(
                PdfPage(
                    # No-break spaces (in phone numbers) read as plain spaces.
                    text=" ".join((page.extract_text() or "").replace("\u00a0", " ").split()),
                    min_char_size=min((round(c["size"], 2) for c in chars), default=0),
                    chars=chars,
                    rects=list(page.rects),
                )
            )
    return pages


def decode_qr_codes(data: bytes, page_index: int = 0, dpi: int = 150) -> list[str]:
    """Render one page to an image and decode every QR code on it."""
    document = pypdfium2.PdfDocument(data)
    image = document[page_index].render(scale=dpi / 72).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]
