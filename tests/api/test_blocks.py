import pytest

from tests.factories import BlockFactory

URL = "/api/v1/blocks/"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("volunteer", 200),
        ("outsider_volunteer", 200),
        ("pending_volunteer", 403),
        ("operator", 200),
        ("organizer", 200),
        ("other_organizer", 200),
    ],
)
def test_who_may_list_blocks(client_for, role, expected, block, other_block):
    assert client_for(role).get(URL).status_code == expected


@pytest.mark.parametrize("role", ["operator", "volunteer"])
def test_only_the_callers_group_blocks_are_listed(client_for, role, group, block, other_block):
    BlockFactory(group=group, code="A0")

    body = client_for(role).get(URL).json()

    assert body["count"] == 2
    assert [b["code"] for b in body["results"]] == ["A0", "T1"]
    assert str(other_block.pk) not in str(body)


def test_other_group_sees_only_its_own(client_for, block, other_block):
    body = client_for("other_organizer").get(URL).json()

    assert [b["id"] for b in body["results"]] == [str(other_block.pk)]


def test_block_fields(client_for, block):
    result = client_for("operator").get(URL).json()["results"][0]

    assert result == {
        "id": str(block.pk),
        "code": "T1",
        "address": block.address,
        "entrances": block.entrances,
        "floors": block.floors,
        "latitude": block.latitude,
        "longitude": block.longitude,
    }


def test_pending_volunteer_is_told_why(client_for, pending_volunteer):
    response = client_for("pending_volunteer").get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.json() == {
        "detail": "Only organizers, operators and verified volunteers may do this."
    }
