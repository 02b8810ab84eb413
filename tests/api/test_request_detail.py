import pytest

from tests.factories import HelpRequestFactory, NeighborFactory


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("volunteer", 404),
        ("outsider_volunteer", 404),
        ("pending_volunteer", 404),
        ("operator", 200),
        ("organizer", 200),
        ("other_organizer", 404),
    ],
)
def test_who_may_read_a_request(client_for, role, expected, help_request):
    response = client_for(role).get(f"/api/v1/requests/{help_request.pk}/")

    assert response.status_code == expected
    if expected != 200:
        assert help_request.code_word not in response.content.decode()
        assert help_request.neighbor.name not in response.content.decode()


def test_staff_see_the_residents_details(client_for, help_request):
    body = client_for("operator").get(f"/api/v1/requests/{help_request.pk}/").json()

    neighbor = help_request.neighbor
    assert body["id"] == str(help_request.pk)
    assert body["code_word"] == help_request.code_word
    assert body["neighbor"]["name"] == neighbor.name
    assert body["neighbor"]["flat"] == neighbor.flat
    assert body["neighbor"]["phone"] == "+79111234567"
    assert body["volunteer_id"] is None


def test_other_groups_organizer_reads_their_own(client_for, other_block):
    theirs = HelpRequestFactory(neighbor=NeighborFactory(block=other_block))

    assert client_for("other_organizer").get(f"/api/v1/requests/{theirs.pk}/").status_code == 200


def test_unknown_id_is_404_json(client_for, operator):
    response = client_for("operator").get(
        "/api/v1/requests/00000000-0000-0000-0000-000000000000/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_one_request_costs_few_queries(client_for, help_request, django_assert_max_num_queries):
    client = client_for("operator")
    # Token, the caller's group (is it under an emergency lock?), the request, its group's
    # consultation kinds, kind names (per-process cache, cold), and the INSERT that records who
    # saw the resident's details (privacy.access_log).
    with django_assert_max_num_queries(6):
        assert client.get(f"/api/v1/requests/{help_request.pk}/").status_code == 200
