"""A volunteer may enter a request for a new resident, or for one whose task they hold now;
naming any other resident's id (to claim the request and read them again) answers 404."""

import pytest

from requests.exceptions import NotAllowed
from requests.models import HelpRequest
from requests.services import (
    help_request_claim,
    help_request_create,
    help_request_deliver,
    help_request_release,
)

URL = "/api/v1/requests/"


@pytest.fixture
def payload(block, neighbor):
    return {
        "block": str(block.pk),
        "kind": "medicine",
        "details": "Лекарства",
        "neighbor_id": str(neighbor.pk),
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("volunteer", 404),  # holds no task of this resident
        ("outsider_volunteer", 404),
        ("pending_volunteer", 403),
        ("operator", 201),
        ("organizer", 201),
        ("other_organizer", 404),
    ],
)
def test_who_may_name_a_known_resident(client_for, payload, role, expected):
    response = client_for(role).post(URL, payload, format="json")

    assert response.status_code == expected, response.content
    assert HelpRequest.objects.count() == (1 if expected == 201 else 0)


def test_volunteer_may_file_for_a_resident_they_hold(client_for, payload, volunteer, help_request):
    help_request_claim(help_request=help_request, volunteer=volunteer)

    response = client_for("volunteer").post(URL, payload, format="json")

    assert response.status_code == 201, response.content


def test_not_after_release_or_delivery(client_for, payload, volunteer, help_request):
    help_request_claim(help_request=help_request, volunteer=volunteer)
    help_request_release(help_request=help_request, volunteer=volunteer, reason="заболел")
    assert client_for("volunteer").post(URL, payload, format="json").status_code == 404

    help_request_claim(help_request=help_request, volunteer=volunteer)
    help_request_deliver(help_request=help_request, volunteer=volunteer)
    assert client_for("volunteer").post(URL, payload, format="json").status_code == 404
    assert HelpRequest.objects.count() == 1


def test_another_volunteers_resident_is_refused(
    client_for, payload, second_volunteer, help_request
):
    help_request_claim(help_request=help_request, volunteer=second_volunteer)

    assert client_for("volunteer").post(URL, payload, format="json").status_code == 404


def test_a_new_resident_is_fine(client_for, payload):
    del payload["neighbor_id"]
    payload["neighbor"] = {"name": "Петрова Анна", "flat": "7"}

    assert client_for("volunteer").post(URL, payload, format="json").status_code == 201


def test_the_service_refuses_too(volunteer, block, neighbor):
    with pytest.raises(NotAllowed):
        help_request_create(
            created_by=volunteer.user,
            block=block,
            kind="groceries",
            details="x",
            source="",
            neighbor=neighbor,
        )
