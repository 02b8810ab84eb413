"""Profile: "available now" and the most tasks at once."""

import pytest

from tests.volunteers.conftest import messages_of, page_text


def test_profile_shows_current_settings_and_blocks(volunteer_client, volunteer, block, group):
    text = page_text(volunteer_client.get("/profile/"))
    assert 'name="is_available" id="id_is_available" checked' in text
    assert 'value="3"' in text
    assert block.address in text
    assert group.name in text


def test_volunteer_turns_availability_off_and_changes_the_limit(volunteer_client, volunteer):
    response = volunteer_client.post("/profile/", {"max_open_tasks": "5"}, follow=True)
    assert messages_of(response) == ["Saved."]
    volunteer.refresh_from_db()
    assert volunteer.is_available is False
    assert volunteer.max_open_tasks == 5


def test_volunteer_turns_availability_on(volunteer_client, volunteer):
    volunteer.is_available = False
    volunteer.save()
    volunteer_client.post("/profile/", {"is_available": "on", "max_open_tasks": "2"})
    volunteer.refresh_from_db()
    assert volunteer.is_available is True


@pytest.mark.parametrize("value", ["0", "21", "many", ""])
def test_bad_limit_is_refused_and_nothing_saved(volunteer_client, volunteer, value):
    response = volunteer_client.post("/profile/", {"is_available": "on", "max_open_tasks": value})
    assert response.status_code == 400
    assert 'class="errorlist' in page_text(response)
    volunteer.refresh_from_db()
    assert volunteer.max_open_tasks == 3


def test_paused_volunteer_cannot_change_the_profile(client, volunteer):
    volunteer.status = "paused"
    volunteer.save()
    client.force_login(volunteer.user)
    response = client.post("/profile/", {"max_open_tasks": "9"})
    assert response.status_code == 403
    volunteer.refresh_from_db()
    assert volunteer.max_open_tasks == 3
