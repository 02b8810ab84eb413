"""Release: the holder gives the task back with a reason."""

from requests.models import RequestEvent, Status
from tests.volunteers.conftest import messages_of, page_text


def test_holder_releases_with_a_reason(volunteer_client, claimed_request):
    response = volunteer_client.post(
        f"/tasks/{claimed_request.pk}/release/",
        {"expected_status": "claimed", "reason": "Заболел"},
        follow=True,
    )
    assert messages_of(response) == [
        "You released the task; it is open for other volunteers again."
    ]
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.OPEN
    assert claimed_request.volunteer_id is None
    assert (
        RequestEvent.objects.get(help_request=claimed_request, action="release").note == "Заболел"
    )
    # Back to an open task: the personal details are gone from the page.
    assert claimed_request.neighbor.name not in page_text(response)


def test_release_without_reason_is_refused(volunteer_client, claimed_request):
    response = volunteer_client.post(
        f"/tasks/{claimed_request.pk}/release/", {"expected_status": "claimed", "reason": "  "}
    )
    assert response.status_code == 400
    assert "This field is required." in page_text(response)
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.CLAIMED


def test_release_of_a_task_someone_else_holds_is_refused(client, second_volunteer, claimed_request):
    client.force_login(second_volunteer.user)
    response = client.post(
        f"/tasks/{claimed_request.pk}/release/",
        {"expected_status": "claimed", "reason": "хочу себе"},
        follow=True,
    )
    assert messages_of(response) == ["You do not hold this task."]
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.CLAIMED


def test_release_from_a_stale_page_after_delivery_saves_nothing(
    volunteer_client, volunteer, claimed_request
):
    from requests.services import help_request_deliver

    help_request_deliver(help_request=claimed_request, volunteer=volunteer)
    response = volunteer_client.post(
        f"/tasks/{claimed_request.pk}/release/",
        {"expected_status": "claimed", "reason": "передумал"},
        follow=True,
    )
    assert "Nothing was saved." in messages_of(response)[0]
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.DELIVERED


def test_service_refusal_is_a_message_even_without_the_status_field(
    volunteer_client, volunteer, claimed_request
):
    from requests.services import help_request_deliver

    help_request_deliver(help_request=claimed_request, volunteer=volunteer)
    response = volunteer_client.post(
        f"/tasks/{claimed_request.pk}/release/", {"reason": "передумал"}, follow=True
    )
    assert response.status_code == 200
    assert messages_of(response) == ["Cannot do “Released” while the request is “Delivered”."]


def test_volunteer_of_another_group_gets_404(client, outsider_volunteer, claimed_request):
    client.force_login(outsider_volunteer.user)
    response = client.post(f"/tasks/{claimed_request.pk}/release/", {"reason": "x"})
    assert response.status_code == 404
