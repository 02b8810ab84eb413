"""The task page: block and kind before a claim, the neighbor's details only to the holder."""

from datetime import timedelta
from uuid import uuid4

import pytest
import time_machine
from django.utils import timezone

from requests.services import help_request_deliver
from tests import factories
from tests.volunteers.conftest import page_text


def _personal_details(help_request) -> list[str]:
    neighbor = help_request.neighbor
    return [neighbor.name, help_request.code_word, "tel:+79111234567", neighbor.notes]


def test_open_task_shows_block_and_kind_only(volunteer_client, help_request):
    response = volunteer_client.get(f"/tasks/{help_request.pk}/")
    text = page_text(response)
    assert response.status_code == 200
    assert "Groceries" in text
    assert help_request.block.address in text
    assert "Claim this task" in text
    for secret in _personal_details(help_request) + [help_request.details]:
        assert secret not in text


def test_claimed_task_shows_neighbor_phone_code_word_and_map_link(
    volunteer_client, claimed_request
):
    text = page_text(volunteer_client.get(f"/tasks/{claimed_request.pk}/"))
    for detail in _personal_details(claimed_request):
        assert detail in text
    neighbor = claimed_request.neighbor
    assert f"<dt>Flat</dt><dd>{neighbor.flat}</dd>" in text
    assert "<dt>Entrance</dt><dd>1</dd>" in text
    assert "<dt>Floor</dt><dd>3</dd>" in text
    assert 'href="tel:+79111234567"' in text
    block = claimed_request.block
    assert f'href="geo:{block.latitude:.6f},{block.longitude:.6f}?q=' in text
    assert claimed_request.details in text
    for action in ("I have bought it", "Confirm delivery", "Could not deliver", "Release"):
        assert action in text


def test_task_of_another_group_is_404(client, outsider_volunteer, help_request):
    client.force_login(outsider_volunteer.user)
    assert client.get(f"/tasks/{help_request.pk}/").status_code == 404


def test_task_held_by_another_volunteer_is_404(client, second_volunteer, claimed_request):
    client.force_login(second_volunteer.user)
    assert client.get(f"/tasks/{claimed_request.pk}/").status_code == 404


def test_unknown_task_is_404(volunteer_client):
    assert volunteer_client.get(f"/tasks/{uuid4()}/").status_code == 404


def test_malformed_task_id_is_404(volunteer_client):
    assert volunteer_client.get("/tasks/not-a-uuid/").status_code == 404


def test_delivered_task_keeps_details_for_a_day_then_hides_them(
    volunteer_client, volunteer, claimed_request
):
    help_request_deliver(help_request=claimed_request, volunteer=volunteer)
    url = f"/tasks/{claimed_request.pk}/"
    text = page_text(volunteer_client.get(url))
    assert claimed_request.neighbor.name in text
    assert "Delivery" in text
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        later = page_text(volunteer_client.get(url))
    for secret in _personal_details(claimed_request):
        assert secret not in later
    assert "hidden 24 hours after delivery" in later
    assert claimed_request.block.address in later


def test_task_page_shows_local_due_time(volunteer_client, neighbor):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    due = datetime(2026, 3, 14, 15, 30, tzinfo=ZoneInfo("UTC"))
    task = factories.HelpRequestFactory(neighbor=neighbor, due_at=due)
    text = page_text(volunteer_client.get(f"/tasks/{task.pk}/"))
    # Europe/Moscow is UTC+3; the English short format.
    assert "03/14/2026 6:30 p.m." in text


@pytest.mark.parametrize("language", ["ru", "en"])
def test_task_page_html_lang_follows_the_chosen_language(client, volunteer, help_request, language):
    client.force_login(volunteer.user)
    client.post("/i18n/setlang/", {"language": language, "next": "/tasks/"})
    text = page_text(client.get(f"/tasks/{help_request.pk}/"))
    assert f'<html lang="{language}">' in text
