"""/print/blocks/<id>/form.pdf: a block's request forms, each with a new recorded serial."""

from urllib.parse import parse_qs, urlsplit

import pytest

from printing.layout import FORM_LAYOUT
from printing.qr import form_qr_payload
from requests.models import PaperForm
from requests.paper_forms import paper_form_problem
from tests.printing.conftest import HOTLINE_PRINTED, user_of
from tests.printing.pdf import MM, decode_qr_codes, read_pdf


def url(block, query=""):
    return f"/print/blocks/{block.pk}/form.pdf{query}"


def test_operator_prints_a_form_with_a_new_serial(
    client, operator, block, django_assert_max_num_queries
):
    client.force_login(operator)
    with django_assert_max_num_queries(10):
        response = client.get(url(block))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    form = PaperForm.objects.get()
    assert (form.block, form.printed_by, form.layout_version) == (block, operator, 1)
    # The serial is one the intake desk accepts for this block.
    assert paper_form_problem(block=block, serial=str(form.pk)) is None
    [page] = read_pdf(response.content)
    assert "Торжковская ул., д. 15" in page.text
    assert f"№ {form.pk}" in page.text
    assert f"Бланк № {form.pk}" in page.text  # the tear-off stub
    assert HOTLINE_PRINTED in page.text
    for words in ("Мы, ваши соседи, поможем", "Кодовое слово", "ПИН-код", "Продукты", "Кв."):
        assert words in page.text
    assert page.min_char_size >= 14


def test_count_prints_that_many_forms_with_distinct_serials(client, organizer, block):
    client.force_login(organizer)
    response = client.get(url(block, "?count=3"))
    pages = read_pdf(response.content)
    serials = sorted(PaperForm.objects.values_list("pk", flat=True))
    assert len(pages) == len(serials) == 3
    for page, serial in zip(pages, serials, strict=True):
        assert f"№ {serial}" in page.text


@pytest.mark.parametrize(("query", "expected"), [("?count=0", 1), ("?count=x", 1)])
def test_count_out_of_range_prints_one(client, organizer, block, query, expected):
    client.force_login(organizer)
    assert client.get(url(block, query)).status_code == 200
    assert PaperForm.objects.count() == expected


def test_count_is_capped(rf, organizer):
    from printing.models import MAX_FORMS_PER_BLOCK
    from printing.views import _forms_count

    assert _forms_count(rf.get("/", {"count": "100000"})) == MAX_FORMS_PER_BLOCK


def test_qr_code_opens_the_intake_desk_with_block_serial_and_layout(client, organizer, block):
    client.force_login(organizer)
    response = client.get(url(block))
    serial = PaperForm.objects.get().pk
    [decoded] = decode_qr_codes(response.content)
    assert decoded == form_qr_payload(block_id=block.pk, serial=serial)
    parts = urlsplit(decoded)
    assert parts.path == "/intake/"
    assert parse_qs(parts.query) == {
        "block": [str(block.pk)],
        "serial": [str(serial)],
        "layout": [str(FORM_LAYOUT.version)],
    }


def test_boxes_are_where_the_layout_says(client, organizer, block):
    """A reader of photographed forms relies on FORM_LAYOUT: the PDF must match it."""
    client.force_login(organizer)
    [page] = read_pdf(client.get(url(block)).content)
    drawn = {(round(r["x0"] / MM), round(r["top"] / MM)) for r in page.rects}
    expected = [FORM_LAYOUT.field("kind.0"), FORM_LAYOUT.field("need.9")]
    expected += [FORM_LAYOUT.field(name) for name in ("consent", "details", "code_word")]
    for box in expected:
        assert (round(box.rect.x), round(box.rect.y)) in drawn, box.name
    for cell in FORM_LAYOUT.field("phone").cell_rects():
        assert (round(cell.x), round(cell.y)) in drawn
    # Solid 6 mm squares (a checkbox border is drawn as an outer and an inner square).
    filled = [r for r in page.rects if r["fill"] and abs(r["width"] / MM - 6) < 0.05]
    corners = {(round(r["x0"] / MM), round(r["top"] / MM)) for r in filled}
    assert corners == {(round(m.x), round(m.y)) for m in FORM_LAYOUT.marks}


def test_english_on_request(client, organizer, block):
    client.force_login(organizer)
    [page] = read_pdf(client.get(url(block, "?lang=en")).content)
    assert "We, your neighbours, will help" in page.text
    assert "Code word" in page.text
    assert page.min_char_size >= 14


def test_no_hotline_refuses_and_issues_no_serial(client, organizer, block):
    block.group.hotline_phone = ""
    block.group.save()
    client.force_login(organizer)
    response = client.get(url(block))
    assert response.status_code == 409
    assert "горячей линии" in response.content.decode()
    assert not PaperForm.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        "volunteer",
        "pending_volunteer",
        "other_organizer",
        "outsider_volunteer",
        "network_coordinator",
        None,
    ],
)
def test_everyone_else_gets_404(client, request, block, role):
    if role:
        client.force_login(user_of(request.getfixturevalue(role)))
    assert client.get(url(block)).status_code == 404
    assert not PaperForm.objects.exists()


def test_another_groups_block_is_404_for_an_organizer(client, organizer, other_block):
    client.force_login(organizer)
    assert client.get(url(other_block)).status_code == 404


def test_superuser_may_print_any_groups_form(client, coordinator, other_block):
    other_block.group.hotline_phone = "+78120000000"
    other_block.group.save()
    client.force_login(coordinator)
    assert client.get(url(other_block)).status_code == 200
