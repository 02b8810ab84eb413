import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests.models import Status
from tests.factories import BlockFactory, HelpRequestFactory, NeighborFactory

URL = "/api/v1/tasks/"
PRIVATE_KEYS = {"neighbor", "code_word"}


def task_at(group, lat, lon, **kwargs):
    block = BlockFactory(group=group, latitude=lat, longitude=lon)
    return HelpRequestFactory(neighbor=NeighborFactory(block=block), **kwargs)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("volunteer", 200),
        ("outsider_volunteer", 200),
        ("pending_volunteer", 403),
        ("operator", 403),
        ("organizer", 403),
        ("other_organizer", 403),
    ],
)
def test_who_has_a_task_list(client_for, role, expected, help_request):
    response = client_for(role).get(URL)

    assert response.status_code == expected
    if expected == 200:
        ids = [task["id"] for task in response.json()["results"]]
        assert (str(help_request.pk) in ids) == (role == "volunteer")


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("pending", "An organizer has not verified your volunteer account yet."),
        ("paused", "Your volunteer account is paused."),
        ("removed", "Your volunteer account is not active."),
    ],
)
def test_inactive_volunteers_are_told_why(client_for, pending_volunteer, status, message):
    pending_volunteer.status = status
    pending_volunteer.save()

    response = client_for("pending_volunteer").get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json() == {"detail": message}


def test_open_tasks_carry_no_personal_data(client_for, volunteer, help_request):
    response = client_for("volunteer").get(URL)

    task = response.json()["results"][0]
    assert task["id"] == str(help_request.pk)
    assert task["status"] == "open"
    assert not PRIVATE_KEYS & set(task)
    text = response.content.decode()
    neighbor = help_request.neighbor
    for secret in (neighbor.name, help_request.code_word, "+79111234567", neighbor.notes):
        assert secret not in text
    assert '"flat":' not in text


def test_a_held_task_carries_the_neighbor_and_code_word(client_for, volunteer, help_request):
    client = client_for("volunteer")
    client.post(f"{URL}{help_request.pk}/claim/")

    task = client.get(URL).json()["results"][0]

    neighbor = help_request.neighbor
    assert task["held_by_me"] is True
    assert task["code_word"] == help_request.code_word
    assert task["neighbor"] == {
        "id": str(neighbor.pk),
        "name": neighbor.name,
        "flat": neighbor.flat,
        "entrance": neighbor.entrance,
        "floor": neighbor.floor,
        "phone": "+79111234567",
        "notes": neighbor.notes,
    }


def test_tasks_held_by_others_are_not_listed(client_for, volunteer, second_volunteer, help_request):
    client_for("second_volunteer").post(f"{URL}{help_request.pk}/claim/")

    assert client_for("volunteer").get(URL).json()["count"] == 0


def test_held_first_then_nearest_first_with_distance(client_for, group, volunteer):
    volunteer.blocks.clear()
    far = task_at(group, 60.05, 30.30)
    near = task_at(group, 59.987, 30.301)
    middle = task_at(group, 60.00, 30.30)
    held = task_at(group, 60.10, 30.30)
    client = client_for("volunteer")
    client.post(f"{URL}{held.pk}/claim/")

    results = client.get(URL).json()["results"]

    assert [t["id"] for t in results] == [str(t.pk) for t in (held, near, middle, far)]
    distances = [t["distance_m"] for t in results[1:]]
    assert distances == sorted(distances)
    assert 100 < distances[0] < 130  # 0.001° of latitude ≈ 111 m


def test_paginated_with_count_next_previous(client_for, group, volunteer, block):
    for _ in range(25):
        HelpRequestFactory(neighbor=NeighborFactory(block=block))

    first = client_for("volunteer").get(URL).json()
    second = client_for("volunteer").get(URL, {"page": 2}).json()

    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["previous"] is None and "page=2" in first["next"]
    assert len(second["results"]) == 5
    assert second["next"] is None


def test_page_past_the_end_is_404_not_500(client_for, volunteer):
    assert client_for("volunteer").get(URL, {"page": 99}).status_code == 404
    assert client_for("volunteer").get(URL, {"page": "x"}).status_code == 404


def test_filter_by_kind(client_for, volunteer, neighbor):
    HelpRequestFactory(neighbor=neighbor, kind="groceries")
    medicine = HelpRequestFactory(neighbor=neighbor, kind="medicine")

    results = client_for("volunteer").get(URL, {"kind": "medicine"}).json()["results"]

    assert [t["id"] for t in results] == [str(medicine.pk)]


def test_unknown_kind_is_400(client_for, volunteer):
    response = client_for("volunteer").get(URL, {"kind": "weapons"})

    assert response.status_code == 400
    assert "kind" in response.json()


def test_finished_tasks_are_not_listed(client_for, volunteer, neighbor):
    HelpRequestFactory(neighbor=neighbor, status=Status.CANCELLED)

    assert client_for("volunteer").get(URL).json()["count"] == 0


def _queries_for_list(client, group, volunteer, n):
    for i in range(n):
        task = task_at(group, 59.99 + i * 0.0001, 30.30)
        if i < 2:
            client.post(f"{URL}{task.pk}/claim/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.django_db
def test_query_count_does_not_grow_with_tasks(client_for, group, volunteer):
    client = client_for("volunteer")
    few, count_few = _queries_for_list(client, group, volunteer, 3)
    many, count_many = _queries_for_list(client, group, volunteer, 27)

    assert (count_few, count_many) == (3, 30)
    assert few == many
    # Includes the caller's group (emergency lock) and the one INSERT recording who saw the
    # held tasks' residents (privacy.access_log).
    assert many <= 8
