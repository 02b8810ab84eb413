"""Delivered: amount, who paid, an optional checked receipt photo; stale forms save nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from requests.models import HelpRequest, PaidBy, Payment, RequestEvent, Status
from requests.services import help_request_release
from tests.volunteers.conftest import messages_of, page_text
from tests.volunteers.images import image_upload


def _deliver(client, task, **data):
    payload = {"expected_status": "claimed", **data}
    return client.post(f"/tasks/{task.pk}/deliver/", payload, follow=True)


def test_volunteer_delivers_with_amount_and_payment(volunteer_client, claimed_request):
    response = _deliver(
        volunteer_client, claimed_request, spent="512.40", paid_by=PaidBy.VOLUNTEER, note="Сдача"
    )
    assert messages_of(response) == ["Thank you! The task is marked as delivered."]
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.DELIVERED
    assert claimed_request.spent == Decimal("512.40")
    assert claimed_request.paid_by == PaidBy.VOLUNTEER
    event = RequestEvent.objects.get(help_request=claimed_request, action="deliver")
    assert event.note == "Сдача"
    text = page_text(response)
    assert "512.40" in text
    assert "Waiting for the organizers" in text


def test_amount_is_read_in_the_russian_format(client, volunteer, claimed_request):
    client.force_login(volunteer.user)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/tasks/"})
    _deliver(client, claimed_request, spent="1 234,50", paid_by=PaidBy.RESIDENT_CASH)
    claimed_request.refresh_from_db()
    assert claimed_request.spent == Decimal("1234.50")


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("350,5", "350.50"),
        ("350.50", "350.50"),
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1,234", "1234.00"),
    ],
)
def test_amount_is_read_as_typed_on_an_english_page(
    volunteer_client, claimed_request, typed, amount
):
    _deliver(volunteer_client, claimed_request, spent=typed, paid_by=PaidBy.GROUP_FUND)
    claimed_request.refresh_from_db()
    assert claimed_request.spent == Decimal(amount)


def test_delivery_without_purchase_needs_no_amount(volunteer_client, claimed_request):
    _deliver(volunteer_client, claimed_request)
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.DELIVERED
    assert claimed_request.spent is None


@pytest.mark.parametrize(
    "payment, paid_by",
    [
        (Payment.CASH_ON_DELIVERY, PaidBy.RESIDENT_CASH),
        (Payment.PREPAID, PaidBy.GROUP_FUND),
        (Payment.FREE, PaidBy.VOLUNTEER),
    ],
)
def test_amount_without_who_paid_follows_the_agreed_payment_as_in_the_api(
    volunteer_client, claimed_request, payment, paid_by
):
    """One rule, in help_request_deliver: the web form no longer refuses what the API takes."""
    HelpRequest.objects.filter(pk=claimed_request.pk).update(payment=payment)
    response = _deliver(volunteer_client, claimed_request, spent="300")
    assert response.status_code == 200
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.DELIVERED
    assert claimed_request.paid_by == paid_by


@pytest.mark.parametrize("spent", ["-5", "abc", "12345678901"])
def test_bad_amount_is_refused(volunteer_client, claimed_request, spent):
    response = _deliver(volunteer_client, claimed_request, spent=spent, paid_by="group_fund")
    assert response.status_code == 400
    assert 'class="errorlist' in page_text(response)
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.CLAIMED


@pytest.mark.parametrize(
    ("image_format", "suffix"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")]
)
def test_receipt_photo_is_stored_under_a_neutral_name(
    volunteer_client, claimed_request, image_format, suffix
):
    upload = image_upload(image_format, name="Иванова кв 12.jpg")
    _deliver(volunteer_client, claimed_request, paid_by="group_fund", spent="10", receipt=upload)
    claimed_request.refresh_from_db()
    assert claimed_request.receipt.name.startswith("receipts/")
    assert claimed_request.receipt.name.endswith(f".{suffix}")
    assert "Иванова" not in claimed_request.receipt.name


def test_receipt_that_is_not_an_image_is_refused(volunteer_client, claimed_request):
    fake = SimpleUploadedFile("receipt.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = _deliver(volunteer_client, claimed_request, receipt=fake)
    assert response.status_code == 400
    assert "Upload a valid image" in page_text(response)
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.CLAIMED
    assert not claimed_request.receipt


def test_receipt_in_another_image_format_is_refused(volunteer_client, claimed_request):
    response = _deliver(volunteer_client, claimed_request, receipt=image_upload("GIF", "r.gif"))
    assert response.status_code == 400
    assert "The receipt must be a JPEG, PNG or WebP photo." in page_text(response)
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.CLAIMED


def test_receipt_over_five_megabytes_is_refused(volunteer_client, claimed_request):
    big = image_upload("JPEG", padding=5 * 1024 * 1024)
    response = _deliver(volunteer_client, claimed_request, receipt=big)
    assert response.status_code == 400
    assert "the limit is 5 MB" in page_text(response)
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.CLAIMED


def test_stale_form_after_release_saves_nothing(volunteer_client, volunteer, claimed_request):
    help_request_release(help_request=claimed_request, volunteer=volunteer, reason="заболел")
    response = _deliver(volunteer_client, claimed_request, spent="100", paid_by="group_fund")
    assert messages_of(response) == [
        "This task changed while your page was open; it is now “Open”. Nothing was saved."
    ]
    claimed_request.refresh_from_db()
    assert claimed_request.status == Status.OPEN
    assert claimed_request.spent is None


def test_stale_form_after_someone_else_took_it_says_so(
    volunteer_client, volunteer, second_volunteer, claimed_request
):
    from requests.services import help_request_claim

    help_request_release(help_request=claimed_request, volunteer=volunteer, reason="заболел")
    help_request_claim(help_request=claimed_request, volunteer=second_volunteer)
    response = _deliver(volunteer_client, claimed_request, spent="100", paid_by="group_fund")
    assert response.status_code == 200
    assert messages_of(response) == ["You do not hold this task."]
    assert response.redirect_chain[-1][0] == "/tasks/"
    claimed_request.refresh_from_db()
    assert claimed_request.volunteer_id == second_volunteer.pk
    assert claimed_request.status == Status.CLAIMED


def test_open_task_cannot_be_delivered(volunteer_client, help_request):
    response = _deliver(volunteer_client, help_request, expected_status="open")
    assert messages_of(response) == ["You do not hold this task."]
    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN


def test_volunteer_of_another_group_gets_404(client, outsider_volunteer, claimed_request):
    client.force_login(outsider_volunteer.user)
    assert client.post(f"/tasks/{claimed_request.pk}/deliver/").status_code == 404
