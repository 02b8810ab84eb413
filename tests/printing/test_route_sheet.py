"""/print/volunteers/<id>/route.pdf: a volunteer's tasks in hand, recorded on each request."""

import pytest

from requests.models import RequestEvent, Status
from tests import factories
from tests.printing.conftest import user_of
from tests.printing.pdf import read_pdf


def url(volunteer):
    return f"/print/volunteers/{volunteer.pk}/route.pdf"


@pytest.fixture
def tasks(volunteer, block):
    neighbor = factories.NeighborFactory(
        block=block, name="Петрова Анна Ивановна", flat="47", phone="+79219876543"
    )
    claimed = factories.HelpRequestFactory(
        neighbor=neighbor,
        status=Status.CLAIMED,
        volunteer=volunteer,
        code_word="малина",
        needs=["bread_milk", "medicine_otc"],
    )
    bought = factories.HelpRequestFactory(
        neighbor=factories.NeighborFactory(block=block, flat="12"),
        status=Status.BOUGHT,
        volunteer=volunteer,
    )
    delivered = factories.HelpRequestFactory(
        neighbor=factories.NeighborFactory(block=block, name="Доставленная Д.Д."),
        status=Status.DELIVERED,
        volunteer=volunteer,
        delivered_at="2026-01-01T10:00:00Z",
    )
    return claimed, bought, delivered


def test_route_sheet_lists_tasks_in_hand_with_details(
    client, organizer, volunteer, tasks, django_assert_max_num_queries
):
    claimed, bought, delivered = tasks
    client.force_login(organizer)
    # +1: the INSERT recording who saw the residents listed (privacy.access_log).
    with django_assert_max_num_queries(11):
        response = client.get(url(volunteer))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = " ".join(page.text for page in read_pdf(response.content))
    for expected in (
        "Торжковская ул., д. 15",
        "Петрова Анна Ивановна",
        "47",
        "8 (921) 987-65-43",
        "малина",
        bought.code_word,
        "Хлеб, молоко",
        "Лекарства без рецепта",
        "Маршрутный лист",
    ):
        assert expected in text, expected
    assert "Доставленная" not in text
    assert min(page.min_char_size for page in read_pdf(response.content)) >= 14


def test_printing_records_an_event_on_each_task_in_hand(client, operator, volunteer, tasks):
    claimed, bought, delivered = tasks
    client.force_login(operator)
    client.get(url(volunteer))
    events = RequestEvent.objects.filter(action="route_sheet_printed")
    assert {(e.help_request_id, e.actor, e.from_status, e.to_status, e.note) for e in events} == {
        (claimed.pk, operator, "claimed", "claimed", ""),
        (bought.pk, operator, "bought", "bought", ""),
    }
    claimed.refresh_from_db()
    assert claimed.status == Status.CLAIMED


def test_no_tasks_prints_a_sheet_that_says_so(client, organizer, volunteer):
    client.force_login(organizer)
    [page] = read_pdf(client.get(url(volunteer)).content)
    assert "Нет задач" in page.text
    assert not RequestEvent.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        "volunteer",
        "second_volunteer",
        "other_organizer",
        "outsider_volunteer",
        "network_coordinator",
        None,
    ],
)
def test_everyone_else_gets_404_and_nothing_is_recorded(client, request, volunteer, tasks, role):
    if role:
        client.force_login(user_of(request.getfixturevalue(role)))
    assert client.get(url(volunteer)).status_code == 404
    assert not RequestEvent.objects.filter(action="route_sheet_printed").exists()


def test_another_groups_volunteer_is_404(client, organizer, outsider_volunteer):
    client.force_login(organizer)
    assert client.get(url(outsider_volunteer)).status_code == 404
