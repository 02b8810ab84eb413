"""Could not deliver: the task returns to open with the reason; organizers hear via the signal."""

from requests.models import RequestEvent, Status
from requests.signals import help_request_changed
from tests.volunteers.conftest import messages_of, page_text


def test_could_not_deliver_reopens_the_task_and_announces_it(
    volunteer_client, claimed_request, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, help_request_id, action, actor_id, **kwargs):
        heard.append((help_request_id, action))

    help_request_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = volunteer_client.post(
                f"/tasks/{claimed_request.pk}/undeliverable/",
                {"expected_status": "claimed", "reason": "Никто не открыл дверь"},
                follow=True,
            )
    finally:
        help_request_changed.disconnect(listener)
    assert messages_of(response) == [
        "Thank you for telling us. The task is open again and the organizers are told."
    ]
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.OPEN
    assert claimed_request.volunteer_id is None
    event = RequestEvent.objects.get(help_request=claimed_request, action="undeliverable")
    assert event.note == "Никто не открыл дверь"
    assert (claimed_request.pk, "undeliverable") in heard


def test_could_not_deliver_needs_a_reason(volunteer_client, claimed_request):
    response = volunteer_client.post(
        f"/tasks/{claimed_request.pk}/undeliverable/", {"expected_status": "claimed"}
    )
    assert response.status_code == 400
    assert '<details class="action" open>' in page_text(response)
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.CLAIMED


def test_open_task_cannot_be_reported(volunteer_client, help_request):
    response = volunteer_client.post(
        f"/tasks/{help_request.pk}/undeliverable/",
        {"expected_status": "open", "reason": "?"},
        follow=True,
    )
    assert messages_of(response) == ["You do not hold this task."]


def test_volunteer_of_another_group_gets_404(client, outsider_volunteer, claimed_request):
    client.force_login(outsider_volunteer.user)
    response = client.post(f"/tasks/{claimed_request.pk}/undeliverable/", {"reason": "x"})
    assert response.status_code == 404
