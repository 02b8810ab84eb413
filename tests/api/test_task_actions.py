import threading

import pytest
from django.db import connection

from requests import services
from requests.models import HelpRequest, RequestEvent, Status
from tests.api.conftest import token_client


def url(task, action):
    return f"/api/v1/tasks/{task.pk}/{action}/"


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
def test_who_may_claim(client_for, role, expected, help_request):
    response = client_for(role).post(url(help_request, "claim"))

    assert response.status_code == expected
    help_request.refresh_from_db()
    assert (help_request.status == Status.CLAIMED) == (expected == 200)


def test_claim_returns_the_task_with_the_neighbor(client_for, volunteer, help_request):
    response = client_for("volunteer").post(url(help_request, "claim"))

    body = response.json()
    assert body["status"] == "claimed"
    assert body["held_by_me"] is True
    assert body["code_word"] == help_request.code_word
    assert body["neighbor"]["phone"] == "+79111234567"


def test_second_claim_by_someone_else_is_409(client_for, volunteer, second_volunteer, help_request):
    client_for("volunteer").post(url(help_request, "claim"))

    response = client_for("second_volunteer").post(
        url(help_request, "claim"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "This task has already been taken by another volunteer."}
    assert help_request.neighbor.name not in response.content.decode()
    help_request.refresh_from_db()
    assert help_request.volunteer == volunteer


def test_claiming_my_own_task_again_is_409(client_for, volunteer, help_request):
    client = client_for("volunteer")
    client.post(url(help_request, "claim"))

    response = client.post(url(help_request, "claim"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert response.json() == {"detail": "You already hold this task."}


def test_claim_over_the_limit_is_409(client_for, volunteer, neighbor):
    from tests.factories import HelpRequestFactory

    volunteer.max_open_tasks = 1
    volunteer.save()
    first, second = HelpRequestFactory(neighbor=neighbor), HelpRequestFactory(neighbor=neighbor)
    client = client_for("volunteer")
    client.post(url(first, "claim"))

    response = client.post(url(second, "claim"))

    assert response.status_code == 409
    assert "detail" in response.json()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_one_200_one_409(volunteer, second_volunteer, help_request):
    clients = [token_client(v.user) for v in (volunteer, second_volunteer)]
    barrier = threading.Barrier(2)
    codes = []

    def claim(client):
        barrier.wait()
        try:
            codes.append(client.post(url(help_request, "claim")).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(codes) == [200, 409]
    assert RequestEvent.objects.filter(action="claim").count() == 1


@pytest.fixture
def held(volunteer, help_request):
    return services.help_request_claim(help_request=help_request, volunteer=volunteer)


def test_deliver_records_money_and_status(client_for, held):
    response = client_for("volunteer").post(
        url(held, "deliver"),
        {"spent": "412.50", "paid_by": "resident_cash", "note": "Сдача 87.50"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "delivered"
    held.refresh_from_db()
    assert str(held.spent) == "412.50"
    assert held.paid_by == "resident_cash"


def test_deliver_without_money_spent(client_for, held):
    response = client_for("volunteer").post(url(held, "deliver"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "delivered"


def test_deliver_with_money_but_no_payer_follows_the_payment_arrangement(client_for, held):
    # The contract's example body: {"spent", "note"} without paid_by.
    response = client_for("volunteer").post(
        url(held, "deliver"), {"spent": "412.50", "note": "сдача 0"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "delivered"
    held.refresh_from_db()
    assert held.paid_by == "resident_cash"  # the factory's request is cash on delivery


@pytest.mark.parametrize("spent", ["-1", "abc", "1234567890.00", "1.234"])
def test_deliver_with_bad_amount_is_400(client_for, held, spent):
    response = client_for("volunteer").post(
        url(held, "deliver"), {"spent": spent, "paid_by": "group_fund"}, format="json"
    )

    assert response.status_code == 400
    assert "spent" in response.json()
    held.refresh_from_db()
    assert held.status == Status.CLAIMED


def test_deliver_an_open_task_is_refused(client_for, volunteer, help_request):
    response = client_for("volunteer").post(url(help_request, "deliver"), {}, format="json")

    assert response.status_code == 404
    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN


def test_deliver_twice_is_409(client_for, held):
    client = client_for("volunteer")
    client.post(url(held, "deliver"), {}, format="json")

    response = client.post(url(held, "deliver"), {}, format="json")

    assert response.status_code == 409


@pytest.mark.parametrize("action", ["release", "deliver", "undeliverable", "mark-bought"])
def test_actions_on_someone_elses_task_are_404(client_for, held, second_volunteer, action):
    response = client_for("second_volunteer").post(
        url(held, action), {"reason": "x"}, format="json"
    )

    assert response.status_code == 404
    assert held.code_word not in response.content.decode()
    held.refresh_from_db()
    assert held.status == Status.CLAIMED


@pytest.mark.parametrize("action", ["release", "deliver", "undeliverable", "mark-bought"])
def test_actions_on_another_groups_task_are_404(client_for, held, outsider_volunteer, action):
    response = client_for("outsider_volunteer").post(
        url(held, action), {"reason": "x"}, format="json"
    )

    assert response.status_code == 404


def test_release_returns_the_task_to_the_open_list(client_for, held):
    response = client_for("volunteer").post(
        url(held, "release"), {"reason": "Заболел"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "open"
    assert "neighbor" not in body and "code_word" not in body


def test_release_without_a_reason_is_a_field_error(client_for, held):
    response = client_for("volunteer").post(url(held, "release"), {}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()


def test_undeliverable_needs_a_reason_and_reopens(client_for, held):
    client = client_for("volunteer")

    missing = client.post(url(held, "undeliverable"), {"reason": "  "}, format="json")
    done = client.post(url(held, "undeliverable"), {"reason": "Никто не открыл"}, format="json")

    assert missing.status_code == 400
    assert done.status_code == 200
    assert done.json()["status"] == "open"
    assert RequestEvent.objects.filter(action="undeliverable", note="Никто не открыл").exists()


def test_mark_bought_then_deliver(client_for, held):
    client = client_for("volunteer")

    bought = client.post(url(held, "mark-bought"))
    again = client.post(url(held, "mark-bought"))

    assert bought.json()["status"] == "bought"
    assert again.status_code == 409
    assert client.post(url(held, "deliver"), {}, format="json").json()["status"] == "delivered"


def test_action_on_a_cancelled_task_is_409(client_for, volunteer, help_request, operator):
    services.help_request_cancel(help_request=help_request, actor=operator)

    response = client_for("volunteer").post(url(help_request, "claim"))

    assert response.status_code == 409
    assert HelpRequest.objects.get().status == Status.CANCELLED
