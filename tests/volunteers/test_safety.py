"""Safety rules: read and accepted before the first claim; the acceptance is recorded."""

import pytest

from tests.volunteers.conftest import messages_of, page_text


@pytest.fixture
def newcomer(volunteer):
    volunteer.safety_protocol_accepted_at = None
    volunteer.save()
    return volunteer


def test_default_rules_cover_contact_mask_receipts_and_cards(volunteer_client, newcomer):
    text = page_text(volunteer_client.get("/safety/"))
    for rule in ("without contact", "mask", "receipt", "Never take bank cards, PIN codes"):
        assert rule in text
    assert 'name="accept"' in text


def test_group_text_replaces_the_default(volunteer_client, newcomer, group):
    group.safety_protocol = "Правило группы: только бесконтактно."
    group.save()
    text = page_text(volunteer_client.get("/safety/"))
    assert "Правило группы: только бесконтактно." in text
    assert "Never take bank cards" not in text


def test_accepting_records_the_time_and_returns_to_the_task(
    volunteer_client, newcomer, help_request
):
    next_url = f"/tasks/{help_request.pk}/"
    response = volunteer_client.post("/safety/", {"accept": "on", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    newcomer.refresh_from_db()
    assert newcomer.safety_protocol_accepted_at is not None


def test_accepting_then_claiming_works(volunteer_client, newcomer, help_request):
    volunteer_client.post("/safety/", {"accept": "on"})
    response = volunteer_client.post(f"/tasks/{help_request.pk}/claim/", follow=True)
    assert messages_of(response)[-1] == "The task is yours. The neighbor's details are below."


def test_not_ticking_the_box_is_refused(volunteer_client, newcomer):
    response = volunteer_client.post("/safety/", {})
    assert response.status_code == 400
    assert "Tick the box to accept the safety rules." in page_text(response)
    newcomer.refresh_from_db()
    assert newcomer.safety_protocol_accepted_at is None


def test_next_to_another_site_is_ignored(volunteer_client, newcomer):
    response = volunteer_client.post(
        "/safety/", {"accept": "on", "next": "https://evil.example/phish"}
    )
    assert response["Location"] == "/tasks/"


def test_accepted_volunteer_sees_the_date_not_the_form(volunteer_client, volunteer):
    text = page_text(volunteer_client.get("/safety/"))
    assert "You accepted these rules on" in text
    assert 'name="accept"' not in text


def test_accepting_again_keeps_the_first_date(volunteer_client, volunteer):
    first = volunteer.safety_protocol_accepted_at
    volunteer_client.post("/safety/", {"accept": "on"})
    volunteer.refresh_from_db()
    assert volunteer.safety_protocol_accepted_at == first
