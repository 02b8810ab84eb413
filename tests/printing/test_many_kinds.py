"""A group with more kinds than the form has boxes: the last box says "other" (write it below),
in the same place, at the same size; nothing the group offers is lost without a way to ask."""

import pytest

from printing.layout import FORM_LAYOUT, KIND_SLOTS, NEED_SLOTS, OTHER_SLUG, paper_slots
from requests.kinds import kind_choices
from requests.models import RequestKind
from tests.printing.pdf import MM, read_pdf

pytestmark = pytest.mark.django_db

OWN_KINDS = ["Письмо в СИЗО", "Посылка", "Ночлег", "Выгул собаки"]


@pytest.fixture
def many_kinds(group):
    for n, name in enumerate(OWN_KINDS):
        RequestKind.objects.create(group=group, slug=f"own-{n}", name=name, position=100 + n)
    assert len(kind_choices(group)) > KIND_SLOTS
    return group


def test_slots_fit_and_end_with_other():
    choices = [(f"k{n}", f"Kind {n}") for n in range(12)] + [(OTHER_SLUG, "Other")]
    slots = paper_slots(choices, KIND_SLOTS, "Other: write it below")
    assert len(slots) == KIND_SLOTS
    assert slots[:-1] == choices[: KIND_SLOTS - 1]
    assert slots[-1] == (OTHER_SLUG, "Other: write it below")
    # When they fit, nothing changes.
    assert paper_slots(choices[:5], KIND_SLOTS, "x") == choices[:5]
    assert paper_slots(choices[:NEED_SLOTS], NEED_SLOTS, "x") == choices[:NEED_SLOTS]


def test_the_form_lists_the_first_kinds_and_an_other_box(client, organizer, block, many_kinds):
    client.force_login(organizer)
    response = client.get(f"/print/blocks/{block.pk}/form.pdf")
    assert response.status_code == 200
    [page] = read_pdf(response.content)
    shown = paper_slots(kind_choices(many_kinds), KIND_SLOTS, "")
    # Labels wrap onto two lines, read across the columns: look for each word.
    for _slug, label in [*shown[:-1], ("", "Другое: впишите ниже")]:
        assert all(word in page.text for word in str(label).split()), label
    assert "Ночлег" not in page.text  # past the boxes: asked for with "other"
    assert page.min_char_size >= 14
    # Every kind box is drawn, the last one too (it is the "other" box now).
    drawn = [(r["x0"] / MM, r["top"] / MM) for r in page.rects]
    for slot in range(KIND_SLOTS):
        rect = FORM_LAYOUT.field(f"kind.{slot}").rect
        assert any(abs(x - rect.x) < 0.6 and abs(y - rect.y) < 0.6 for x, y in drawn), slot
