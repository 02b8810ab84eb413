import pytest

from tests.api.conftest import ROLES
from tests.factories import HelpRequestFactory

ME = "/api/v1/me/"
ACCEPT = "/api/v1/me/accept-safety-protocol/"


@pytest.mark.parametrize("role", ROLES)
def test_me_shows_each_role_itself(client_for, role, group, other_group):
    response = client_for(role).get(ME)

    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    body = response.json()
    expected_role = "volunteer" if "volunteer" in role else role.replace("other_", "")
    assert body["role"] == expected_role
    expected_group = other_group if role.startswith(("other", "outsider")) else group
    assert body["group"] == {"id": str(expected_group.pk), "name": expected_group.name}
    if "volunteer" in role:
        assert body["volunteer"]["status"] == (
            "pending" if role == "pending_volunteer" else "verified"
        )
    else:
        assert body["volunteer"] is None


def test_me_shows_the_groups_safety_rules(client_for, group, volunteer):
    group.safety_protocol = "Не заходите в квартиру."
    group.save()

    body = client_for("volunteer").get(ME).json()

    assert body["safety_protocol"] == "Не заходите в квартиру."
    assert body["safety_protocol_accepted"] is True


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("volunteer", 200),
        ("outsider_volunteer", 200),
        ("pending_volunteer", 200),
        ("operator", 403),
        ("organizer", 403),
        ("other_organizer", 403),
    ],
)
def test_who_may_accept_the_safety_rules(client_for, role, expected):
    assert client_for(role).post(ACCEPT).status_code == expected


def test_accepting_records_the_time_once(client_for, volunteer):
    volunteer.safety_protocol_accepted_at = None
    volunteer.save()

    first = client_for("volunteer").post(ACCEPT).json()
    second = client_for("volunteer").post(ACCEPT).json()

    assert first["safety_protocol_accepted"] is True
    assert first["volunteer"]["safety_protocol_accepted_at"] is not None
    assert (
        second["volunteer"]["safety_protocol_accepted_at"]
        == (first["volunteer"]["safety_protocol_accepted_at"])
    )


def test_first_claim_needs_the_safety_rules_then_works(client_for, volunteer, neighbor):
    volunteer.safety_protocol_accepted_at = None
    volunteer.save()
    task = HelpRequestFactory(neighbor=neighbor)
    client = client_for("volunteer")

    refused = client.post(f"/api/v1/tasks/{task.pk}/claim/", HTTP_ACCEPT_LANGUAGE="en")
    client.post(ACCEPT)
    claimed = client.post(f"/api/v1/tasks/{task.pk}/claim/")

    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "Please read and accept the safety rules before your first task."
    }
    assert claimed.status_code == 200
    assert claimed.json()["status"] == "claimed"
