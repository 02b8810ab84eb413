"""Finding the caller: by phone as she says it, or by block and flat, with her requests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from requests.models import Status
from tests import factories

URL = "/intake/"


@pytest.mark.parametrize(
    "typed",
    [
        "8 921 123-45-67",
        "+7 (921) 123-45-67",
        "921 123 45 67",
        "9211234567",
        "89211234567",
        "+7-921-123-45-67",
        "7 921 1234567",
    ],
)
def test_any_common_spelling_finds_her(signed_in, operator, caller, typed):
    response = signed_in(operator).get(URL, {"phone": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Петрова Анна Ивановна" in page
    assert caller.block.address in page
    # Her radio button is preselected in the request form below.
    assert f'value="{caller.pk}" checked' in page


def test_unreadable_phone_says_so_next_to_the_field_and_keeps_it(signed_in, operator, caller):
    response = signed_in(operator).get(URL, {"phone": "12-34"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Could not read this number" in page or "Не удалось разобрать номер" in page
    assert 'value="12-34"' in page
    assert 'aria-invalid="true"' in page
    assert "Петрова" not in page


def test_message_is_russian_first(signed_in, operator):
    response = signed_in(operator).get(URL, {"phone": "12-34"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert "Не удалось разобрать номер" in response.content.decode()


def test_other_groups_residents_are_not_found(signed_in, operator, other_block):
    factories.NeighborFactory(block=other_block, name="Чужая Соседка", phone="+79211234567")
    page = signed_in(operator).get(URL, {"phone": "89211234567"}).content.decode()
    assert "Чужая Соседка" not in page
    assert 'value="new" checked' in page


def test_find_by_block_and_flat(signed_in, operator, caller, block):
    page = signed_in(operator).get(URL, {"block": block.pk, "flat": "12"}).content.decode()
    assert "Петрова Анна Ивановна" in page


def test_block_without_flat_asks_for_the_flat(signed_in, operator, block):
    page = signed_in(operator).get(URL, {"block": block.pk}).content.decode()
    assert "Type the flat number too." in page or "Укажите и номер квартиры." in page


def test_block_of_another_group_is_refused(signed_in, operator, other_block):
    page = signed_in(operator).get(URL, {"block": other_block.pk, "flat": "1"}).content.decode()
    assert "This block is not one of your group" in page or "не из вашей группы" in page


def test_not_found_offers_a_new_resident_with_the_phone_typed(signed_in, operator):
    page = signed_in(operator).get(URL, {"phone": "8 921 000-00-01"}).content.decode()
    assert 'value="new" checked' in page
    assert 'value="+79210000001"' in page


def test_shows_open_requests_and_only_the_last_three_closed(signed_in, operator, caller):
    open_request = factories.HelpRequestFactory(neighbor=caller, kind="medicine")
    now = timezone.now()
    closed = []
    for days in range(5):
        item = factories.HelpRequestFactory(neighbor=caller, status=Status.CANCELLED)
        factories.HelpRequestFactory._meta.model.objects.filter(pk=item.pk).update(
            created_at=now - timedelta(days=days + 1)
        )
        closed.append(item)
    page = signed_in(operator).get(URL, {"phone": "89211234567"}).content.decode()
    assert f"/intake/requests/{open_request.pk}/" in page
    assert open_request.code_word in page
    for item in closed[:3]:
        assert f"/intake/requests/{item.pk}/" in page
    for item in closed[3:]:
        assert f"/intake/requests/{item.pk}/" not in page


def _lookup_queries(client, django_assert_max_num_queries, expected):
    from requests.models import RequestKind

    RequestKind.objects.clear_label_cache()  # kind names: the same (cold) start each time
    with django_assert_max_num_queries(expected) as captured:
        client.get(URL, {"phone": "89211234567"})
    return len(captured)


def test_lookup_query_count_does_not_grow_with_matches(
    signed_in, operator, caller, block, django_assert_max_num_queries
):
    client = signed_in(operator)
    factories.HelpRequestFactory(neighbor=caller)
    few = _lookup_queries(client, django_assert_max_num_queries, 12)
    for _ in range(4):
        housemate = factories.NeighborFactory(block=block, phone="+79211234567")
        factories.HelpRequestFactory.create_batch(2, neighbor=housemate)
        factories.HelpRequestFactory(neighbor=housemate, status=Status.CANCELLED)
    many = _lookup_queries(client, django_assert_max_num_queries, 12)
    assert many == few


def test_qr_code_link_prefills_block_and_serial(signed_in, operator, block):
    from requests.paper_forms import paper_forms_issue

    form = paper_forms_issue(block=block, count=1, actor=operator)[0]
    page = signed_in(operator).get(URL, {"block": block.pk, "serial": form.pk}).content.decode()
    assert f'name="form_serial" value="{form.pk}"' in page
    assert 'value="paper_form" required id="req_source_0" checked' in page
    assert f'<option value="{block.pk}" selected' in page
