"""Free text of a task: before a claim neither the web nor the API shows it; the holder sees it
within the window after delivery; both read permissions.task_fields_visible."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from requests.services import help_request_claim, help_request_deliver
from tests.factories import HelpRequestFactory

SECRET = "Звонить Марии, кв. 12, +79110000000"


@pytest.fixture
def task(neighbor):
    return HelpRequestFactory(neighbor=neighbor, details=SECRET, budget=500)


def _api(client_for, task):
    detail = client_for("volunteer").get(f"/api/v1/tasks/{task.pk}/")
    assert detail.status_code == 200
    return detail.json()


def _web(client, volunteer, task):
    client.force_login(volunteer.user)
    response = client.get(f"/tasks/{task.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_open_task_has_no_free_text_in_list_detail_or_page(client, client_for, volunteer, task):
    listed = client_for("volunteer").get("/api/v1/tasks/").json()["results"][0]
    detail = _api(client_for, task)
    page = _web(client, volunteer, task)

    for shown in (listed, detail):
        assert shown["details"] == ""
        assert SECRET not in str(shown)
        assert shown["kind"] == "groceries"
        assert shown["budget"] == "500.00"
        assert shown["urgency"] == "normal"
    assert SECRET not in page
    # The structured facts are on the page before a claim, as in the API.
    assert "<dt>Budget</dt>" in page
    assert "<dt>Payment</dt>" in page


def test_holder_sees_free_text_on_both(client, client_for, volunteer, task):
    help_request_claim(help_request=task, volunteer=volunteer)

    assert _api(client_for, task)["details"] == SECRET
    assert SECRET in _web(client, volunteer, task)


def test_free_text_disappears_from_both_after_the_window(client, client_for, volunteer, task):
    help_request_claim(help_request=task, volunteer=volunteer)
    help_request_deliver(help_request=task, volunteer=volunteer)
    assert _api(client_for, task)["details"] == SECRET

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        detail = _api(client_for, task)
        page = _web(client, volunteer, task)

    assert detail["details"] == ""
    assert SECRET not in str(detail)
    assert SECRET not in page


@pytest.mark.parametrize(
    ("role", "api_status"),
    [
        ("anonymous", 401),
        ("second_volunteer", 404),
        ("outsider_volunteer", 404),
        ("operator", 403),
        ("organizer", 403),
        ("other_organizer", 403),
    ],
)
def test_nobody_else_reads_a_held_tasks_text(client_for, volunteer, task, role, api_status):
    help_request_claim(help_request=task, volunteer=volunteer)

    response = client_for(role).get(f"/api/v1/tasks/{task.pk}/")

    assert response.status_code == api_status
    assert SECRET not in response.content.decode()


def test_one_rule_decides_for_web_and_api(volunteer, second_volunteer, operator, task):
    from covidarnost.permissions import TASK_PRIVATE_FIELDS, task_fields_visible

    assert not TASK_PRIVATE_FIELDS & task_fields_visible(volunteer.user, task)
    help_request_claim(help_request=task, volunteer=volunteer)
    assert task_fields_visible(volunteer.user, task) >= TASK_PRIVATE_FIELDS
    assert not TASK_PRIVATE_FIELDS & task_fields_visible(second_volunteer.user, task)
    assert task_fields_visible(operator, task) >= TASK_PRIVATE_FIELDS
