"""Profile: "available now", the most tasks at once, and how to be notified."""

import re

import pytest

from tests.volunteers.conftest import messages_of, page_text


def test_profile_shows_current_settings_and_blocks(volunteer_client, volunteer, block, group):
    text = page_text(volunteer_client.get("/profile/"))
    assert 'name="is_available" id="id_is_available" checked' in text
    assert 'value="3"' in text
    assert block.address in text
    assert group.name in text


def test_volunteer_turns_availability_off_and_changes_the_limit(volunteer_client, volunteer):
    volunteer.max_open_tasks_allowed = 5  # the organizers' limit; the volunteer chooses up to it
    volunteer.save()
    response = volunteer_client.post(
        "/profile/", {"max_open_tasks": "5", "notification_channel": "email"}, follow=True
    )
    assert messages_of(response) == ["Saved."]
    volunteer.refresh_from_db()
    assert volunteer.is_available is False
    assert volunteer.max_open_tasks == 5


def test_volunteer_turns_availability_on(volunteer_client, volunteer):
    volunteer.is_available = False
    volunteer.save()
    volunteer_client.post(
        "/profile/", {"is_available": "on", "max_open_tasks": "2", "notification_channel": "email"}
    )
    volunteer.refresh_from_db()
    assert volunteer.is_available is True


@pytest.mark.parametrize("value", ["0", "21", "many", ""])
def test_bad_limit_is_refused_and_nothing_saved(volunteer_client, volunteer, value):
    response = volunteer_client.post(
        "/profile/", {"is_available": "on", "max_open_tasks": value, "notification_channel": "sms"}
    )
    assert response.status_code == 400
    assert 'class="errorlist' in page_text(response)
    volunteer.refresh_from_db()
    assert volunteer.max_open_tasks == 3


def test_paused_volunteer_cannot_change_the_profile(client, volunteer):
    volunteer.status = "paused"
    volunteer.save()
    client.force_login(volunteer.user)
    response = client.post("/profile/", {"max_open_tasks": "9", "notification_channel": "sms"})
    assert response.status_code == 403
    volunteer.refresh_from_db()
    assert volunteer.max_open_tasks == 3


def test_volunteer_chooses_how_to_be_notified(volunteer_client, volunteer):
    text = page_text(volunteer_client.get("/profile/"))
    assert 'value="telegram"' in text
    assert 'value="console"' not in text
    assert "/notifications/telegram/link/" in text
    volunteer_client.post(
        "/profile/", {"is_available": "on", "max_open_tasks": "3", "notification_channel": "sms"}
    )
    volunteer.refresh_from_db()
    assert volunteer.notification_channel == "sms"


@pytest.mark.parametrize("channel", ["console", "pigeon", ""])
def test_unknown_or_development_channel_is_refused(volunteer_client, volunteer, channel):
    response = volunteer_client.post(
        "/profile/", {"is_available": "on", "max_open_tasks": "3", "notification_channel": channel}
    )
    assert response.status_code == 400
    volunteer.refresh_from_db()
    assert volunteer.notification_channel == "email"


def test_volunteer_agrees_to_be_named_on_flyers_and_withdraws(volunteer_client, volunteer):
    assert volunteer.show_first_name_on_flyer is False
    form = {"max_open_tasks": "3", "notification_channel": "email"}
    volunteer_client.post("/profile/", {**form, "show_first_name_on_flyer": "on"})
    volunteer.refresh_from_db()
    assert volunteer.show_first_name_on_flyer is True
    text = page_text(volunteer_client.get("/profile/"))
    assert re.search(r'name="show_first_name_on_flyer"[^>]* checked', text)
    volunteer_client.post("/profile/", form)
    volunteer.refresh_from_db()
    assert volunteer.show_first_name_on_flyer is False
