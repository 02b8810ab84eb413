"""The one layout definition of the request form: sizes PAPER.md asks for, nothing overlaps."""

from itertools import combinations

from printing.layout import FORM_LAYOUT, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, Rect
from printing.qr import QUIET_ZONE, form_qr_payload, qr_module_count

BLOCK_ID = "0b4a4a6e-6c3e-4a55-8a35-1d6a9b9f0e2c"


def inside_page(rect: Rect) -> bool:
    return (
        rect.x >= 0
        and rect.y >= 0
        and rect.right <= PAGE_WIDTH_MM
        and rect.bottom <= PAGE_HEIGHT_MM
    )


def test_four_marks_in_the_corners():
    marks = FORM_LAYOUT.marks
    assert len(marks) == 4
    assert {(m.x < PAGE_WIDTH_MM / 2, m.y < PAGE_HEIGHT_MM / 2) for m in marks} == {
        (True, True),
        (True, False),
        (False, True),
        (False, False),
    }


def test_fields_do_not_overlap_each_other_the_marks_or_the_qr_code():
    fields = [(f.name, f.rect) for f in FORM_LAYOUT.fields]
    others = [("mark", m) for m in FORM_LAYOUT.marks] + [("qr", FORM_LAYOUT.qr)]
    for (a, ra), (b, rb) in combinations(fields + others, 2):
        assert not ra.overlaps(rb), (a, b)
    assert all(inside_page(rect) for _name, rect in fields + others)


def test_labels_do_not_cover_boxes():
    for name, text in FORM_LAYOUT.texts.items():
        for box in FORM_LAYOUT.fields:
            if name == "label.details" and box.name == "details":
                continue  # written in the first line of its box, on purpose
            assert not text.overlaps(box.rect), (name, box.name)


def test_sizes_for_unsteady_hands():
    for box in FORM_LAYOUT.fields:
        if box.kind == "checkbox":
            assert box.rect.w >= 6 and box.rect.h >= 6, box.name
        elif box.kind == "box":
            assert box.rect.h / box.lines >= 9, box.name
        else:
            assert all(cell.w >= 6 and cell.h >= 9 for cell in box.cell_rects()), box.name


def test_phone_and_flat_are_comb_fields_in_intake_order():
    assert FORM_LAYOUT.field("phone").cells == 11
    order = ["kind.0", "need.0", "details", "urgency.urgent", "due", "payment.0", "name", "phone"]
    # Reading order: row by row (a row is where the boxes' middles line up), left to right.
    rects = [FORM_LAYOUT.field(name).rect for name in order]
    positions = [(round(r.y + r.h / 2), r.x) for r in rects]
    assert positions == sorted(positions)
    assert FORM_LAYOUT.field("consent").rect.y > FORM_LAYOUT.field("flat").rect.y


def test_qr_code_is_at_least_25_mm_without_its_quiet_zone():
    payload = form_qr_payload(block_id=BLOCK_ID, serial=9_999_999)
    modules = qr_module_count(payload)
    module_mm = FORM_LAYOUT.qr.w / (modules + 2 * QUIET_ZONE)
    assert modules * module_mm >= 25
    assert QUIET_ZONE >= 4


def test_payload_carries_the_layout_version():
    payload = form_qr_payload(block_id=BLOCK_ID, serial=7)
    assert payload.endswith(f"/intake/?block={BLOCK_ID}&serial=7&layout={FORM_LAYOUT.version}")
