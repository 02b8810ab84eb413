"""Entering a request for a resident: who may, group boundaries, idempotency, bad input."""

import pytest
from django.core.exceptions import ValidationError

from neighbors.models import Neighbor
from requests.exceptions import NotAllowed
from requests.models import HelpRequest, RequestEvent
from requests.services import help_request_create
from tests.factories import NeighborFactory

pytestmark = pytest.mark.django_db

NEW_NEIGHBOR = {"name": "Петрова Анна Ивановна", "flat": "12", "phone": "+7 911 765-43-21"}


def _create(user, block, **extra):
    values = {
        "created_by": user,
        "block": block,
        "kind": "groceries",
        "details": "Хлеб и молоко",
        "source": "paper_form",
        "neighbor_data": NEW_NEIGHBOR,
    }
    values.update(extra)
    return help_request_create(**values)


@pytest.mark.parametrize("role", ["organizer", "operator", "volunteer"])
def test_helpers_of_the_group_create_open_request_with_code_word(request, block, role):
    user = request.getfixturevalue(role)
    user = getattr(user, "user", user)
    help_request, created = _create(user, block)
    assert created
    assert help_request.status == "open"
    assert help_request.code_word
    assert help_request.neighbor.phone.as_e164 == "+79117654321"
    assert RequestEvent.objects.get(help_request=help_request).action == "create"


def test_pending_volunteer_cannot_create(block, pending_volunteer):
    with pytest.raises(NotAllowed):
        _create(pending_volunteer.user, block)
    assert not HelpRequest.objects.exists()


def test_block_of_another_group_is_refused(other_block, operator):
    with pytest.raises(NotAllowed):
        _create(operator, other_block)
    assert not Neighbor.objects.exists()


def test_neighbor_of_another_group_is_refused(block, other_block, operator):
    stranger = NeighborFactory(block=other_block)
    with pytest.raises(NotAllowed):
        _create(operator, block, neighbor=stranger, neighbor_data=None)


def test_same_idempotency_key_returns_the_first_request(block, operator):
    first, created_first = _create(operator, block, idempotency_key="k-1")
    again, created_again = _create(operator, block, idempotency_key="k-1")
    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert HelpRequest.objects.count() == 1
    assert Neighbor.objects.count() == 1


def test_idempotency_keys_are_per_helper(block, operator, organizer):
    a, _ = _create(operator, block, idempotency_key="same")
    b, _ = _create(organizer, block, idempotency_key="same")
    assert a.pk != b.pk


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"kind": "flowers"}, "kind"),
        ({"source": "pigeon"}, "source"),
        ({"details": "x" * 5001}, "details"),
        ({"neighbor_data": {**NEW_NEIGHBOR, "phone": "12"}}, "phone"),
        ({"neighbor_data": None}, "neighbor"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(block, operator, extra, field):
    with pytest.raises(ValidationError) as excinfo:
        _create(operator, block, **extra)
    assert field in excinfo.value.message_dict
    assert not HelpRequest.objects.exists()
    assert not Neighbor.objects.exists()
