"""Bought: the holder marks the purchase done; then only delivery actions remain."""

from requests.models import Status
from tests.volunteers.conftest import messages_of, page_text


def test_holder_marks_bought(volunteer_client, claimed_request):
    response = volunteer_client.post(
        f"/tasks/{claimed_request.pk}/bought/", {"expected_status": "claimed"}, follow=True
    )
    assert messages_of(response) == ["Marked as bought. Now take it to the neighbor."]
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.BOUGHT
    assert claimed_request.bought_at is not None
    text = page_text(response)
    assert "I have bought it" not in text
    assert "Confirm delivery" in text


def test_marking_bought_twice_is_a_stale_form(volunteer_client, claimed_request):
    url = f"/tasks/{claimed_request.pk}/bought/"
    volunteer_client.post(url, {"expected_status": "claimed"}, follow=True)
    response = volunteer_client.post(url, {"expected_status": "claimed"}, follow=True)
    assert "Nothing was saved." in messages_of(response)[0]


def test_another_volunteer_cannot_mark_bought(client, second_volunteer, claimed_request):
    client.force_login(second_volunteer.user)
    response = client.post(
        f"/tasks/{claimed_request.pk}/bought/", {"expected_status": "claimed"}, follow=True
    )
    assert messages_of(response) == ["You do not hold this task."]
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.CLAIMED
