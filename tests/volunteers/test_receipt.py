"""Receipt photos: never public; the delivering volunteer for a day, staff of the group."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from requests.services import help_request_deliver
from tests.volunteers.images import image_upload


@pytest.fixture
def delivered_with_receipt(claimed_request, volunteer):
    return help_request_deliver(
        help_request=claimed_request,
        volunteer=volunteer,
        spent=100,
        paid_by="volunteer",
        receipt=image_upload("PNG", "receipt.png"),
    )


def test_delivering_volunteer_sees_the_receipt(volunteer_client, delivered_with_receipt):
    url = f"/tasks/{delivered_with_receipt.pk}/receipt/"
    response = volunteer_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert url in volunteer_client.get(f"/tasks/{delivered_with_receipt.pk}/").content.decode()


def test_receipt_disappears_for_the_volunteer_after_a_day(volunteer_client, delivered_with_receipt):
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        response = volunteer_client.get(f"/tasks/{delivered_with_receipt.pk}/receipt/")
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["organizer", "operator", "coordinator"])
def test_staff_see_the_receipt(client, request, delivered_with_receipt, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(f"/tasks/{delivered_with_receipt.pk}/receipt/").status_code == 200


@pytest.mark.parametrize("role", ["other_organizer", "second_volunteer", "outsider_volunteer"])
def test_others_get_404(client, request, delivered_with_receipt, role):
    who = request.getfixturevalue(role)
    client.force_login(getattr(who, "user", who))
    assert client.get(f"/tasks/{delivered_with_receipt.pk}/receipt/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, delivered_with_receipt):
    response = client.get(f"/tasks/{delivered_with_receipt.pk}/receipt/")
    assert response.status_code == 302


def test_task_without_receipt_gives_404(client, organizer, claimed_request, volunteer):
    help_request_deliver(help_request=claimed_request, volunteer=volunteer)
    client.force_login(organizer)
    assert client.get(f"/tasks/{claimed_request.pk}/receipt/").status_code == 404


def test_media_url_is_not_served(client, organizer, delivered_with_receipt):
    client.force_login(organizer)
    assert client.get(f"/media/{delivered_with_receipt.receipt.name}").status_code == 404
