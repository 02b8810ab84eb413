"""Receipt photos are re-encoded on upload: no EXIF (phone model, GPS), XMP or text chunks."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from requests.services import help_request_claim, help_request_deliver
from tests.volunteers.images import image_upload

MAKER = "SecretPhone 7 Pro"


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SecretMaker"  # Make
    exif[0x0110] = MAKER  # Model
    exif[0x0112] = 6  # Orientation: rotated 90°
    gps = {1: "N", 2: (59.0, 59.0, 1.0), 3: "E", 4: (30.0, 18.0, 2.0)}
    exif[0x8825] = gps  # GPSInfo
    return exif


def photo(image_format: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", (40, 20), (200, 180, 40))
    if image_format == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", MAKER)
        image.save(buffer, format="PNG", pnginfo=info, exif=_exif())
    else:
        image.save(buffer, format=image_format, exif=_exif(), xmp=MAKER.encode())
    return SimpleUploadedFile(f"IMG_0001.{image_format.lower()}", buffer.getvalue())


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_stored_receipt_has_no_metadata(volunteer_client, volunteer, help_request, image_format):
    upload = photo(image_format)
    assert MAKER.encode() in upload.read()  # the test photo does carry it
    upload.seek(0)
    help_request_claim(help_request=help_request, volunteer=volunteer)

    response = volunteer_client.post(
        f"/tasks/{help_request.pk}/deliver/",
        {"expected_status": "claimed", "spent": "", "receipt": upload},
    )

    assert response.status_code == 302
    help_request.refresh_from_db()
    stored = help_request.receipt.read()
    assert MAKER.encode() not in stored
    assert b"SecretMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == image_format
        assert not image.getexif()
        assert "xmp" not in image.info and "Comment" not in image.info
        # The orientation was applied to the pixels: the photo is upright (portrait now).
        assert image.size == (20, 40)
    assert help_request.receipt.name.rsplit("/", 1)[-1].startswith("receipt")


def test_service_reencodes_too(volunteer, help_request):
    help_request_claim(help_request=help_request, volunteer=volunteer)

    delivered = help_request_deliver(
        help_request=help_request, volunteer=volunteer, receipt=photo("JPEG")
    )

    assert MAKER.encode() not in delivered.receipt.read()


def test_unreadable_photo_changes_nothing(volunteer, help_request):
    help_request_claim(help_request=help_request, volunteer=volunteer)
    bad = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff not really a jpeg")

    with pytest.raises(ValidationError):
        help_request_deliver(help_request=help_request, volunteer=volunteer, receipt=bad)

    help_request.refresh_from_db()
    assert help_request.status == "claimed"


@pytest.mark.parametrize("role", ["organizer", "operator", "coordinator"])
def test_admin_links_the_permission_checked_view(client, request, volunteer, help_request, role):
    help_request_claim(help_request=help_request, volunteer=volunteer)
    help_request_deliver(help_request=help_request, volunteer=volunteer, receipt=image_upload())
    client.force_login(request.getfixturevalue(role))

    page = client.get(f"/admin/requests/helprequest/{help_request.pk}/change/").content.decode()

    assert f'href="/tasks/{help_request.pk}/receipt/"' in page
    assert "/media/" not in page
    assert client.get(f"/tasks/{help_request.pk}/receipt/").status_code == 200


@pytest.mark.parametrize("role", ["other_organizer", "second_volunteer", "outsider_volunteer"])
def test_others_cannot_open_the_receipt(client, request, volunteer, help_request, role):
    help_request_claim(help_request=help_request, volunteer=volunteer)
    help_request_deliver(help_request=help_request, volunteer=volunteer, receipt=image_upload())
    user = request.getfixturevalue(role)
    client.force_login(getattr(user, "user", user))

    assert client.get(f"/tasks/{help_request.pk}/receipt/").status_code == 404
    assert client.get(f"/admin/requests/helprequest/{help_request.pk}/change/").status_code in (
        302,
        404,
    )
