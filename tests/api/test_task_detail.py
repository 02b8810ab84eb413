import pytest

from requests import services
from tests.factories import HelpRequestFactory, NeighborFactory


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("volunteer", 200),
        ("outsider_volunteer", 404),
        ("pending_volunteer", 403),
        ("operator", 403),
        ("organizer", 403),
        ("other_organizer", 403),
    ],
)
def test_who_may_read_an_open_task(client_for, role, expected, help_request):
    response = client_for(role).get(f"/api/v1/tasks/{help_request.pk}/")

    assert response.status_code == expected
    assert help_request.neighbor.name not in response.content.decode()


def test_open_task_detail_has_no_personal_data(client_for, volunteer, help_request):
    body = client_for("volunteer").get(f"/api/v1/tasks/{help_request.pk}/").json()

    assert body["id"] == str(help_request.pk)
    assert "neighbor" not in body and "code_word" not in body
    assert body["distance_m"] is not None
    assert body["held_by_me"] is False


def test_held_task_detail_has_the_neighbor(client_for, volunteer, help_request):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)

    body = client_for("volunteer").get(f"/api/v1/tasks/{help_request.pk}/").json()

    assert body["code_word"] == help_request.code_word
    assert body["neighbor"]["name"] == help_request.neighbor.name


def test_task_held_by_another_volunteer_is_404(
    client_for, volunteer, second_volunteer, help_request
):
    services.help_request_claim(help_request=help_request, volunteer=second_volunteer)

    response = client_for("volunteer").get(f"/api/v1/tasks/{help_request.pk}/")

    assert response.status_code == 404
    assert help_request.code_word not in response.content.decode()


def test_outsider_reads_their_own_groups_task(client_for, outsider_volunteer, other_block):
    theirs = HelpRequestFactory(neighbor=NeighborFactory(block=other_block))

    assert client_for("outsider_volunteer").get(f"/api/v1/tasks/{theirs.pk}/").status_code == 200


def test_non_uuid_id_is_not_a_server_error(client_for, volunteer):
    assert client_for("volunteer").get("/api/v1/tasks/not-a-uuid/").status_code == 404
