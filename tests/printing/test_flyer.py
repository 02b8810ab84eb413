"""/print/blocks/<id>/flyer.pdf: the entrance flyer of a block."""

import pytest

from tests import factories
from tests.printing.conftest import HOTLINE_PRINTED, user_of
from tests.printing.pdf import read_pdf


def url(block, query=""):
    return f"/print/blocks/{block.pk}/flyer.pdf{query}"


def test_flyer_has_hotline_anti_scam_lines_and_block(
    client, organizer, block, django_assert_max_num_queries
):
    client.force_login(organizer)
    with django_assert_max_num_queries(6):
        response = client.get(url(block))
    assert response.status_code == 200
    [page] = read_pdf(response.content)
    assert HOTLINE_PRINTED in page.text
    assert "Торжковская ул., д. 15" in page.text
    assert "Соседи помогают соседям" in page.text
    assert "кодовое слово" in page.text
    assert "банковскую карту, ПИН-код или деньги вперёд" in page.text
    assert "Сомневаетесь" in page.text
    assert "Продукты" in page.text  # the kinds of help on offer
    assert "Волонтёр вашего дома" not in page.text
    assert page.min_char_size >= 14


def test_volunteer_first_name_only_when_opted_in(client, operator, block, group):
    shy = factories.VolunteerFactory(user__group=group, user__first_name="Ольга")
    shy.blocks.add(block)
    named = factories.VolunteerFactory(
        user__group=group,
        user__first_name="Анна",
        user__last_name="Смирнова",
        show_first_name_on_flyer=True,
    )
    named.blocks.add(block)
    client.force_login(operator)
    [page] = read_pdf(client.get(url(block)).content)
    assert "Волонтёр вашего дома: Анна" in page.text
    assert "Смирнова" not in page.text
    assert "Ольга" not in page.text


def test_english_flyer(client, organizer, block):
    client.force_login(organizer)
    [page] = read_pdf(client.get(url(block, "?lang=en")).content)
    assert "How to recognise a real volunteer" in page.text
    assert "never ask for bank cards" in page.text
    assert page.min_char_size >= 14


@pytest.mark.parametrize(
    "role", ["volunteer", "other_organizer", "outsider_volunteer", "network_coordinator", None]
)
def test_everyone_else_gets_404(client, request, block, role):
    if role:
        client.force_login(user_of(request.getfixturevalue(role)))
    assert client.get(url(block)).status_code == 404
