"""Where everything sits on the printed request form: the one layout definition.

The PDF template places every box from here, and a later reader of photographed forms finds
them here too (after straightening the photo on the four registration marks). Positions are
millimetres from the top-left corner of an A4 portrait page. Changing any position means a
new LAYOUT_VERSION, printed on the form and carried in its QR code, so old forms stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass

from requests.paper_forms import LAYOUT_VERSION

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297

LEFT = 16
RIGHT = 196
CONTENT_WIDTH = RIGHT - LEFT

# Solid squares in the corners, the same on every form, to straighten a photo.
MARK_SIZE = 6
MARK_INSET = 5

CHECKBOX = 7  # mm square: PAPER.md asks for at least 6
LABEL_GAP = 2  # between a checkbox and its label, which is on its right
COMB_CELL_WIDTH = 7
COMB_CELL_HEIGHT = 10
PHONE_CELLS = 11  # 8 921 123 45 67: the Russian trunk prefix and ten digits
FLAT_CELLS = 4
WRITING_LINE = 10  # mm per handwritten line: PAPER.md asks for at least 10

KIND_COLUMNS, KIND_ROWS = 3, 3
NEED_COLUMNS, NEED_ROWS = 2, 5
KIND_SLOTS = KIND_COLUMNS * KIND_ROWS
NEED_SLOTS = NEED_COLUMNS * NEED_ROWS


# When a group offers more kinds (or needs) than there are boxes, the last box of the grid
# becomes "other: write it under More details" with this slug, so nothing the group offers is
# left off the paper without a way to ask for it.
OTHER_SLUG = "other"


def paper_slots(choices, slots: int, other_label) -> list[tuple[str, object]]:
    """What each box of a checkbox grid means, in slot order: (slug, label).

    All of `choices` when they fit; otherwise the first `slots - 1` of them (in the order
    shown to people, "other" left out) and, in the last box, (OTHER_SLUG, other_label). The
    PDF prints these labels and a reader of filled forms maps a ticked slot back to a slug.
    """
    choices = list(choices)
    if len(choices) <= slots:
        return choices
    named = [choice for choice in choices if choice[0] != OTHER_SLUG][: slots - 1]
    return [*named, (OTHER_SLUG, other_label)]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Rect) -> bool:
        return not (
            self.right <= other.x
            or other.right <= self.x
            or self.bottom <= other.y
            or other.bottom <= self.y
        )


@dataclass(frozen=True)
class Field:
    """Something the resident fills in: a checkbox, an answer box or a comb of digit cells."""

    name: str
    kind: str  # "checkbox", "box" or "comb"
    rect: Rect
    cells: int = 1
    lines: int = 1

    def cell_rects(self) -> list[Rect]:
        """The one-character cells of a comb field, left to right."""
        width = self.rect.w / self.cells
        return [
            Rect(self.rect.x + i * width, self.rect.y, width, self.rect.h)
            for i in range(self.cells)
        ]


@dataclass(frozen=True)
class FormLayout:
    version: int
    marks: tuple[Rect, ...]
    # Printed text areas by name (titles, headings, the labels of checkboxes).
    texts: dict[str, Rect]
    fields: tuple[Field, ...]
    qr: Rect
    cut_line_y: float

    def field(self, name: str) -> Field:
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(name)


def _checkbox_grid(prefix, *, top, columns, rows, row_height, label_width, column_width):
    fields, labels = [], {}
    for slot in range(columns * rows):
        row, column = divmod(slot, columns)
        x = LEFT + column * column_width
        y = top + row * row_height
        name = f"{prefix}.{slot}"
        fields.append(Field(name, "checkbox", Rect(x, y, CHECKBOX, CHECKBOX)))
        labels[name] = Rect(x + CHECKBOX + LABEL_GAP, y - 1, label_width, row_height)
    return fields, labels


def _build() -> FormLayout:
    marks = (
        Rect(MARK_INSET, MARK_INSET, MARK_SIZE, MARK_SIZE),
        Rect(PAGE_WIDTH_MM - MARK_INSET - MARK_SIZE, MARK_INSET, MARK_SIZE, MARK_SIZE),
        Rect(MARK_INSET, PAGE_HEIGHT_MM - MARK_INSET - MARK_SIZE, MARK_SIZE, MARK_SIZE),
        Rect(
            PAGE_WIDTH_MM - MARK_INSET - MARK_SIZE,
            PAGE_HEIGHT_MM - MARK_INSET - MARK_SIZE,
            MARK_SIZE,
            MARK_SIZE,
        ),
    )
    header_width = 142
    heading_width = 134  # leaves room for the layout version on the first heading's line
    texts = {
        "title": Rect(LEFT, 11, header_width, 10),
        "hotline": Rect(LEFT, 21, header_width, 10),
        "group": Rect(LEFT, 32, header_width, 6),
        "block": Rect(LEFT, 38, header_width, 6),
        "next": Rect(LEFT, 44, header_width, 6),
        "serial": Rect(150, 44, 48, 8),
        "version": Rect(150, 53, 46, 6),
        "heading.kind": Rect(LEFT, 53, heading_width, 7),
        "heading.needs": Rect(LEFT, 93, heading_width, 7),
        "label.details": Rect(LEFT + 2, 145.5, 36, 6),
        "heading.when": Rect(LEFT, 166, heading_width, 7),
        "label.due": Rect(110, 175, 31, 10),
        "heading.about": Rect(LEFT, 197, heading_width, 7),
        "label.name": Rect(LEFT, 207, 40, 6),
        "label.phone": Rect(LEFT, 220, 40, 6),
        "label.flat": Rect(142, 220, 16, 6),
        "warning": Rect(LEFT - 2, 240.5, CONTENT_WIDTH + 4, 25),
        "stub.serial": Rect(LEFT, 270, CONTENT_WIDTH, 8),
        "stub.code_word": Rect(LEFT, 280.5, 44, 6),
        "stub.keep": Rect(136, 280.5, 60, 6),
    }
    fields: list[Field] = []
    # Kind labels get two lines (a group's own kinds can be long); the needs are short words.
    kinds, kind_labels = _checkbox_grid(
        "kind",
        top=61,
        columns=KIND_COLUMNS,
        rows=KIND_ROWS,
        row_height=10.5,
        label_width=50,
        column_width=60,
    )
    needs, need_labels = _checkbox_grid(
        "need",
        top=101,
        columns=NEED_COLUMNS,
        rows=NEED_ROWS,
        row_height=8.5,
        label_width=80,
        column_width=90,
    )
    fields += kinds + needs
    texts |= kind_labels | need_labels
    # The "More details:" label sits in the first line; the writing goes on after it.
    fields.append(
        Field("details", "box", Rect(LEFT, 144.5, CONTENT_WIDTH, 2 * WRITING_LINE), lines=2)
    )
    urgency = [("urgency.urgent", LEFT, 44), ("urgency.normal", 70, 30)]
    for name, x, label_width in urgency:
        fields.append(Field(name, "checkbox", Rect(x, 176, CHECKBOX, CHECKBOX)))
        texts[name] = Rect(x + CHECKBOX + LABEL_GAP, 175, label_width, 10)
    fields.append(Field("due", "box", Rect(142, 174, RIGHT - 142, WRITING_LINE + 1)))
    for slot in range(3):
        name = f"payment.{slot}"
        x = LEFT + slot * 60
        fields.append(Field(name, "checkbox", Rect(x, 187, CHECKBOX, CHECKBOX)))
        texts[name] = Rect(x + CHECKBOX + LABEL_GAP, 186, 50, 11)
    fields.append(Field("name", "box", Rect(58, 205, RIGHT - 58, WRITING_LINE + 1)))
    fields.append(
        Field(
            "phone",
            "comb",
            Rect(58, 218, PHONE_CELLS * COMB_CELL_WIDTH, COMB_CELL_HEIGHT),
            cells=PHONE_CELLS,
        )
    )
    fields.append(
        Field(
            "flat",
            "comb",
            Rect(RIGHT - FLAT_CELLS * COMB_CELL_WIDTH, 218, FLAT_CELLS * COMB_CELL_WIDTH, 10),
            cells=FLAT_CELLS,
        )
    )
    fields.append(Field("consent", "checkbox", Rect(LEFT, 231, CHECKBOX, CHECKBOX)))
    texts["consent"] = Rect(LEFT + CHECKBOX + LABEL_GAP, 230, CONTENT_WIDTH - 9, 9)
    fields.append(Field("code_word", "box", Rect(62, 279, 70, 9)))
    return FormLayout(
        version=LAYOUT_VERSION,
        marks=marks,
        texts=texts,
        fields=tuple(fields),
        qr=Rect(162, 9, 34, 34),
        cut_line_y=268,
    )


FORM_LAYOUT = _build()
