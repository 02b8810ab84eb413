"""Building the printed pages: request forms, entrance flyers and route sheets, as PDF.

Rendering only: what to print comes from the selectors, serials and history from the services.
Every page of one print run goes into one HTML document, so WeasyPrint lays it out in one pass
(a 40-block batch is one document of 440 pages, not 440 documents).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)

from printing.checks import font_paths
from printing.layout import FORM_LAYOUT, KIND_SLOTS, NEED_SLOTS, Rect, paper_slots
from printing.qr import form_qr_payload, qr_png_data_uri
from requests.kinds import kind_choices
from requests.models import Payment, Urgency
from requests.needs import need_choices


class HotlineMissing(ValidationError):
    """The group has no hotline phone: a form or flyer without one would strand the resident."""


def phone_display(phone) -> str:
    """A phone number the way people here write it (8 812 …), or "" when there is none."""
    if not phone:
        return ""
    try:
        text = phone.as_national
    except AttributeError:
        text = str(phone)
    # No-break spaces: a number split over two lines is misread and misdialled.
    return text.replace(" ", "\u00a0")


def hotline_of(group) -> str:
    hotline = phone_display(group.hotline_phone)
    if not hotline:
        raise HotlineMissing(
            _("Set the hotline phone of the group first: it is printed on every form and flyer.")
        )
    return hotline


@dataclass(frozen=True)
class Item:
    """One absolutely placed element of a form page."""

    css: str
    style: str
    text: str = ""


def _place(rect: Rect) -> str:
    return f"left:{rect.x:g}mm;top:{rect.y:g}mm;width:{rect.w:g}mm;height:{rect.h:g}mm"


# Words for residents, not the operators' terms: keyed like the model's choices.
def _paper_payment_labels() -> dict[str, str]:
    return {
        Payment.CASH_ON_DELIVERY: _("I will pay cash on delivery"),
        Payment.PREPAID: _("Already paid"),
        Payment.FREE: _("I need help to pay"),
    }


def _paper_urgency_labels() -> dict[str, str]:
    return {Urgency.URGENT: _("Urgent, today"), Urgency.NORMAL: _("Not urgent")}


@dataclass
class FormSheet:
    """A block's form: the fixed part (the same for the group's blocks) and its block line.

    The serial, the QR code and the block line vary per page and are laid out on their own
    small page, drawn over the fixed part (see compose), so a batch of 440 forms lays the
    busy fixed part out once instead of 440 times.
    """

    block: object
    items: list[Item] = field(default_factory=list)
    block_line: Item | None = None
    key: int = 0


def form_sheet(*, block, group) -> FormSheet:
    """The fixed part of a block's form, every element placed from FORM_LAYOUT."""
    layout = FORM_LAYOUT
    texts = layout.texts
    hotline = hotline_of(group)
    items = [Item("mark", _place(rect)) for rect in layout.marks]

    def text(name: str, css: str, value: str) -> None:
        items.append(Item(css, _place(texts[name]), value))

    text("title", "t-title", _("We, your neighbours, will help"))
    text("hotline", "t-hotline", _("Phone: %(phone)s") % {"phone": hotline})
    text("group", "t-text", group.name)
    text("next", "t-text", _("We will call you today or tomorrow."))
    text("heading.kind", "t-heading", _("1. What do you need help with?"))
    text("heading.needs", "t-heading", _("2. What should we buy or do?"))
    text("label.details", "t-text", _("More details:"))
    text("heading.when", "t-heading", _("3. When, and how will you pay?"))
    text("label.due", "t-text", _("Needed by:"))
    text("heading.about", "t-heading", _("4. About you"))
    text("label.name", "t-text", _("Your name:"))
    text("label.phone", "t-text", _("Phone:"))
    text("label.flat", "t-text", _("Flat:"))
    text("consent", "t-label", _("I agree that a volunteer may phone and visit me."))
    items.append(
        Item(
            "t-warning",
            _place(texts["warning"]),
            " ".join(
                [
                    _("The volunteer will say your code word at the door."),
                    _("Volunteers never ask for bank cards, PIN codes or money in advance."),
                    _("In doubt? Do not open, call %(phone)s.") % {"phone": hotline},
                ]
            ),
        )
    )
    text("stub.code_word", "t-text", _("Code word:"))
    text("stub.keep", "t-keep", _("Keep this part"))
    text("version", "t-version", _("Layout %(version)s") % {"version": layout.version})

    labels: dict[str, str] = {}
    # More kinds or needs than boxes: the last box says "other", and the details box takes it.
    other = _("Other: write it below")
    for slot, (_slug, label) in enumerate(paper_slots(kind_choices(group), KIND_SLOTS, other)):
        labels[f"kind.{slot}"] = str(label)
    for slot, (_slug, label) in enumerate(paper_slots(need_choices(group), NEED_SLOTS, other)):
        labels[f"need.{slot}"] = str(label)
    for slot, label in enumerate(_paper_payment_labels().values()):
        labels[f"payment.{slot}"] = label
    urgency = _paper_urgency_labels()
    labels["urgency.urgent"] = urgency[Urgency.URGENT]
    labels["urgency.normal"] = urgency[Urgency.NORMAL]

    for box in layout.fields:
        if box.name.startswith(("kind.", "need.", "payment.")) and box.name not in labels:
            continue  # an unused slot of this group's lists: no empty box to puzzle over
        if box.kind == "checkbox":
            items.append(Item("checkbox", _place(box.rect)))
            if box.name in labels:
                text(box.name, "t-label", labels[box.name])
        elif box.kind == "comb":
            items.extend(Item("comb-cell", _place(cell)) for cell in box.cell_rects())
        else:
            items.append(Item("answer", _place(box.rect)))
            line_height = box.rect.h / box.lines
            for line in range(1, box.lines):
                y = box.rect.y + line * line_height
                items.append(Item("rule", _place(Rect(box.rect.x + 2, y, box.rect.w - 4, 0))))
    items.append(Item("cut", _place(Rect(0, layout.cut_line_y, 210, 0))))
    block_line = Item(
        "t-text",
        _place(texts["block"]),
        _("Building %(code)s: %(address)s") % {"code": block.code, "address": block.address},
    )
    # Same group, same language: the same fixed part, laid out once for all blocks of a run.
    key = (str(group.pk), translation.get_language(), tuple(items))
    return FormSheet(block=block, items=items, block_line=block_line, key=hash(key))


def form_page(*, sheet: FormSheet, serial: int, hotline: str) -> dict:
    """One form: the block's fixed part plus its serial, in words and in the QR code."""
    payload = form_qr_payload(block_id=sheet.block.pk, serial=serial)
    return {
        "kind": "form",
        "sheet": sheet,
        "qr_uri": qr_png_data_uri(payload),
        "serial_text": _("No. %(serial)s") % {"serial": serial},
        "stub_text": _("Form No. %(serial)s · hotline %(phone)s")
        % {"serial": serial, "phone": hotline},
    }


def flyer_page(*, block, group, volunteer_names: list[str]) -> dict:
    """The entrance flyer of a block: the help on offer, the hotline, how to spot a fake."""
    return {
        "kind": "flyer",
        "block": block,
        "group": group,
        "hotline": hotline_of(group),
        "kinds": [str(label) for _slug, label in kind_choices(group)],
        "volunteer_names": volunteer_names,
    }


def _font_context() -> dict:
    return {name: path.as_uri() for name, path in font_paths().items()}


def render_pdf(template: str, context: dict) -> bytes:
    """Render a print template to PDF bytes, with the embedded DejaVu fonts."""
    from weasyprint import HTML  # imported late: the start-up check reports a missing Pango

    html = render_to_string(template, {**context, "fonts": _font_context()})
    return HTML(string=html, base_url=None).write_pdf()


def render_pages_pdf(pages: list[dict]) -> bytes:
    """Forms and flyers, any mix, in order, as one PDF.

    Two WeasyPrint documents, each laid out in one pass: the distinct full pages (flyers and
    each fixed part of a form) and the small per-form pages (block line, serial, QR code);
    then compose() draws each form page from its fixed part and its own small page.
    """
    full_pages: list[dict] = []
    overlays: list[dict] = []
    fixed_parts: dict[int, int] = {}
    plan: list[tuple[int, int | None]] = []
    for page in pages:
        if page["kind"] != "form":
            full_pages.append(page)
            plan.append((len(full_pages) - 1, None))
            continue
        sheet = page["sheet"]
        if sheet.key not in fixed_parts:
            full_pages.append({"kind": "form", "items": sheet.items})
            fixed_parts[sheet.key] = len(full_pages) - 1
        overlays.append(page)
        plan.append((fixed_parts[sheet.key], len(overlays) - 1))
    full_pdf = render_pdf("printing/sheets.html", {"pages": full_pages})
    overlay_pdf = b""
    if overlays:
        overlay_pdf = render_pdf(
            "printing/overlays.html", {"pages": overlays, "positions": _overlay_positions()}
        )
    return compose(full_pdf, overlay_pdf, plan)


def _overlay_positions() -> str:
    """CSS placing the varying part of a form, from FORM_LAYOUT (classes, not per-element
    style attributes, which WeasyPrint would parse again on every page)."""
    texts = FORM_LAYOUT.texts
    places = {
        "block": texts["block"],
        "qr": FORM_LAYOUT.qr,
        "serial": texts["serial"],
        "stub": texts["stub.serial"],
    }
    return "\n".join(f".{name} {{ {_place(rect)} }}" for name, rect in places.items())


def _shared_resources(writer, page, cache: dict):
    """The page's resources, copied into the writer once per distinct dictionary.

    WeasyPrint gives every page the document's whole resource dictionary (all its images and
    fonts); copied per page, a 440-form batch would hold 440 copies of 440 image entries.
    """
    resources = page["/Resources"].get_object()
    # Pages of one WeasyPrint document share one dictionary; the fingerprint guards the rest.
    xobjects = resources.get("/XObject") or {}
    key = (id(page.pdf), len(xobjects), repr(resources.raw_get("/Font")))
    if key not in cache:
        cache[key] = writer._add_object(resources.clone(writer))
    return cache[key]


def _as_form_xobject(writer, page, resources_cache: dict):
    """A page's drawing as a Form XObject with its own resources (no clash of font names)."""
    form = DecodedStreamObject()
    form.set_data(page.get_contents().get_data())
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject([FloatObject(v) for v in page.mediabox])
    form[NameObject("/Resources")] = _shared_resources(writer, page, resources_cache)
    return writer._add_object(form.flate_encode())


def compose(full_pdf: bytes, overlay_pdf: bytes, plan: list[tuple[int, int | None]]) -> bytes:
    """One PDF from a plan of (full page, overlay page or None): each planned page is the
    full page, with the overlay page drawn over it when there is one. A fixed part used by
    many forms is stored once and drawn by reference."""

    full = PdfReader(io.BytesIO(full_pdf))
    overlay = PdfReader(io.BytesIO(overlay_pdf)) if overlay_pdf else None
    writer = PdfWriter()
    fixed_forms: dict[int, object] = {}
    resources: dict = {}
    for full_index, overlay_index in plan:
        base = full.pages[full_index]
        if overlay_index is None:
            writer.add_page(base)
            continue
        if full_index not in fixed_forms:
            fixed_forms[full_index] = _as_form_xobject(writer, base, resources)
        page = PageObject.create_blank_page(width=base.mediabox.width, height=base.mediabox.height)
        page[NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/XObject"): DictionaryObject(
                    {
                        NameObject("/Fixed"): fixed_forms[full_index],
                        NameObject("/Own"): _as_form_xobject(
                            writer, overlay.pages[overlay_index], resources
                        ),
                    }
                )
            }
        )
        contents = DecodedStreamObject()
        contents.set_data(b"q /Fixed Do Q q /Own Do Q")
        page[NameObject("/Contents")] = writer._add_object(contents)
        writer.add_page(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def join_pdfs(parts: list[bytes]) -> bytes:
    """One PDF of several, in order (a batch is made in chunks to show its progress)."""

    if len(parts) == 1:
        return parts[0]
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
