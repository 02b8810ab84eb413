"""Entering a request at the desk: one form, duplicates caught, code word shown."""

import pytest

from requests.models import HelpRequest, Offer, RequestEvent, Source
from requests.paper_forms import paper_forms_issue
from tests import factories
from tests.intake.conftest import request_data

URL = "/intake/"


def post(client, data, query=""):
    return client.post(URL + query, data)


def test_saves_for_a_known_resident_and_shows_the_code_word(
    signed_in, operator, caller, volunteer, django_capture_on_commit_callbacks
):
    client = signed_in(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, request_data(resident=str(caller.pk)), "?phone=89211234567")
    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert response["Location"] == f"/intake/requests/{help_request.pk}/?saved=1"
    assert help_request.neighbor == caller
    assert help_request.needs == ["bread_milk"]
    assert help_request.details == "Хлеб и кефир"
    assert help_request.source == Source.PHONE
    assert help_request.created_by == operator
    assert RequestEvent.objects.filter(help_request=help_request, action="create").exists()
    # It entered matching: the block's volunteer got an offer.
    assert Offer.objects.filter(help_request=help_request, volunteer=volunteer).exists()
    page = client.get(response["Location"]).content.decode()
    assert f'<p class="word" lang="ru">{help_request.code_word}</p>' in page
    caller.refresh_from_db()
    assert caller.consent_recorded_at is not None


def test_new_resident_is_created_inline(signed_in, operator, block):
    client = signed_in(operator)
    data = request_data(
        resident="new",
        name="Сидорова Зоя",
        phone="8 (921) 765-43-21",
        new_block=str(block.pk),
        flat="7",
        entrance="2",
        floor="",
        consent_sms="on",
    )
    response = post(client, data, "?phone=89217654321")
    assert response.status_code == 302
    help_request = HelpRequest.objects.select_related("neighbor").get()
    neighbor = help_request.neighbor
    assert (neighbor.name, neighbor.flat, neighbor.entrance) == ("Сидорова Зоя", "7", 2)
    assert str(neighbor.phone) == "+79217654321"
    assert neighbor.consent_to_sms and neighbor.consent_to_contact


def test_only_ticked_needs_make_the_details(signed_in, operator, caller):
    data = request_data(resident=str(caller.pk), details="", needs=["bread_milk", "pet_food"])
    post(signed_in(operator), data)
    assert HelpRequest.objects.get().details == "Хлеб, молоко, Корм для животных"


def test_missing_flat_keeps_everything_typed(signed_in, operator, block):
    data = request_data(
        resident="new", name="Сидорова Зоя", new_block=str(block.pk), flat="", details="Творог"
    )
    response = post(signed_in(operator), data, "?phone=89217654321")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Type the flat number." in page or "Укажите номер квартиры." in page
    assert 'value="Сидорова Зоя"' in page
    assert "Творог</textarea>" in page
    assert 'value="bread_milk"' in page and "checked" in page
    assert not HelpRequest.objects.exists()


def test_bad_phone_of_a_new_resident_is_marked(signed_in, operator, block):
    data = request_data(
        resident="new", name="Зоя", new_block=str(block.pk), flat="3", phone="12-34"
    )
    page = post(signed_in(operator), data).content.decode()
    assert "Could not read this number" in page or "Не удалось разобрать номер" in page
    assert 'value="12-34"' in page


def test_new_resident_in_another_groups_block_is_refused(signed_in, operator, other_block):
    data = request_data(resident="new", name="Зоя", new_block=str(other_block.pk), flat="3")
    response = post(signed_in(operator), data)
    assert response.status_code == 400
    assert not HelpRequest.objects.exists()


def test_another_groups_resident_cannot_be_chosen(signed_in, operator, other_block):
    foreign = factories.NeighborFactory(block=other_block)
    response = post(signed_in(operator), request_data(resident=str(foreign.pk)))
    assert response.status_code == 400
    assert not HelpRequest.objects.exists()


def test_consent_is_needed_for_a_new_resident(signed_in, operator, block):
    data = request_data(resident="new", name="Зоя", new_block=str(block.pk), flat="3", consent=None)
    response = post(signed_in(operator), data)
    assert response.status_code == 400
    assert "req_consent_error" in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_consent_already_recorded_is_not_asked_again(signed_in, operator, caller):
    from django.utils import timezone

    caller.consent_recorded_at = timezone.now()
    caller.save()
    response = post(signed_in(operator), request_data(resident=str(caller.pk), consent=None))
    assert response.status_code == 302


def test_nothing_needed_is_refused(signed_in, operator, caller):
    data = request_data(resident=str(caller.pk), needs=[], details="")
    response = post(signed_in(operator), data)
    assert response.status_code == 400
    assert not HelpRequest.objects.exists()


def test_double_submit_with_the_same_token_makes_one_request(signed_in, operator, caller):
    client = signed_in(operator)
    first = post(client, request_data(resident=str(caller.pk)))
    second = post(client, request_data(resident=str(caller.pk)))
    assert HelpRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_double_submit_of_a_new_resident_makes_one_resident(signed_in, operator, block):
    client = signed_in(operator)
    data = request_data(resident="new", name="Зоя", new_block=str(block.pk), flat="3")
    post(client, data)
    post(client, data)
    assert HelpRequest.objects.count() == 1
    assert block.neighbors.filter(name="Зоя").count() == 1


def test_same_kind_within_a_day_asks_to_confirm(signed_in, operator, caller):
    existing = factories.HelpRequestFactory(neighbor=caller, kind="groceries")
    client = signed_in(operator)
    response = post(client, request_data(resident=str(caller.pk)))
    page = response.content.decode()
    assert response.status_code == 409
    assert f"/intake/requests/{existing.pk}/" in page
    assert 'name="confirm_duplicate" value="on"' in page
    assert 'value="Хлеб и кефир"' in page or "Хлеб и кефир</textarea>" in page
    assert HelpRequest.objects.count() == 1
    confirmed = post(client, request_data(resident=str(caller.pk), confirm_duplicate="on"))
    assert confirmed.status_code == 302
    assert HelpRequest.objects.count() == 2


def test_another_kind_is_not_a_duplicate(signed_in, operator, caller):
    factories.HelpRequestFactory(neighbor=caller, kind="medicine")
    response = post(signed_in(operator), request_data(resident=str(caller.pk)))
    assert response.status_code == 302


@pytest.fixture
def serial(block, operator):
    return str(paper_forms_issue(block=block, count=1, actor=operator)[0].pk)


def test_paper_form_serial_is_recorded(signed_in, operator, caller, serial):
    data = request_data(resident=str(caller.pk), source="paper_form", form_serial=serial)
    assert post(signed_in(operator), data).status_code == 302
    assert HelpRequest.objects.get().form_serial == serial


def test_serial_already_used_asks_to_confirm(signed_in, operator, caller, block, serial):
    used = factories.HelpRequestFactory(
        neighbor=factories.NeighborFactory(block=block), form_serial=serial, kind="medicine"
    )
    data = request_data(resident=str(caller.pk), source="paper_form", form_serial=serial)
    response = post(signed_in(operator), data)
    assert response.status_code == 409
    assert f"/intake/requests/{used.pk}/" in response.content.decode()


def test_serial_never_printed_is_refused(signed_in, operator, caller):
    data = request_data(resident=str(caller.pk), source="paper_form", form_serial="999999")
    page = post(signed_in(operator), data).content.decode()
    assert "No form with this number was printed." in page or "не печатался" in page
    assert 'value="999999"' in page


def test_serial_of_another_block_is_refused(signed_in, operator, caller, group):
    elsewhere = factories.BlockFactory(group=group)
    serial = str(paper_forms_issue(block=elsewhere, count=1, actor=operator)[0].pk)
    data = request_data(resident=str(caller.pk), source="paper_form", form_serial=serial)
    response = post(signed_in(operator), data)
    assert response.status_code == 400
    assert not HelpRequest.objects.exists()


def test_serial_with_a_phone_call_is_questioned(signed_in, operator, caller, serial):
    data = request_data(resident=str(caller.pk), source="phone", form_serial=serial)
    assert post(signed_in(operator), data).status_code == 400


def test_in_person_source(signed_in, operator, caller):
    post(signed_in(operator), request_data(resident=str(caller.pk), source="in_person"))
    assert HelpRequest.objects.get().source == "in_person"


def test_saving_takes_a_constant_number_of_queries(
    signed_in, operator, caller, django_assert_max_num_queries
):
    client = signed_in(operator)
    with django_assert_max_num_queries(40):
        response = post(client, request_data(resident=str(caller.pk)))
    assert response.status_code == 302


def test_a_due_date_years_away_is_refused_as_in_the_api(signed_in, operator, caller):
    # One rule for the desk and the API (requests.services.check_due_at): 2062 typed for 2026.
    data = request_data(resident=str(caller.pk), due_at="2062-12-03T12:00", details="Творог")
    response = post(signed_in(operator), data, "?phone=89211234567")
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "Give a date at most a year from now." in page
        or "Укажите дату не дальше года от сегодняшнего дня." in page
    )
    assert "Творог</textarea>" in page
    assert not HelpRequest.objects.exists()
