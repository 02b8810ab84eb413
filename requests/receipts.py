"""Receipt photos: re-encoded on upload so nothing but the pixels is kept.

A phone's photo carries EXIF (phone model, time, often GPS coordinates of the resident's
door), XMP and other metadata. Re-encoding with Pillow from the decoded pixels writes a new
file with none of it; the orientation EXIF described is applied to the pixels first, so the
photo still shows upright.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name → file extension of the stored receipt.
RECEIPT_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Long side of a stored receipt: still readable, and a 50-megapixel photo does not fill the disk.
RECEIPT_MAX_SIDE = 2560


def receipt_reencode(upload) -> ContentFile:
    """A new image file of the upload's pixels, without any metadata, named neutrally.

    Raises ValidationError for anything Pillow cannot read or a format phones do not make.
    """
    try:
        upload.seek(0)
        with Image.open(upload) as original:
            image_format = original.format
            if image_format not in RECEIPT_FORMATS:
                raise ValidationError(
                    {"receipt": _("The receipt must be a JPEG, PNG or WebP photo.")}
                )
            image = ImageOps.exif_transpose(original)
            image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            {"receipt": _("The receipt must be a JPEG, PNG or WebP photo.")}
        ) from exc
    image.thumbnail((RECEIPT_MAX_SIDE, RECEIPT_MAX_SIDE))
    # A fresh image holds the pixels only: no info dict (EXIF, XMP, ICC, PNG text chunks).
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    if image_format == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    buffer = io.BytesIO()
    options = {"quality": 85} if image_format in ("JPEG", "WEBP") else {"optimize": True}
    clean.save(buffer, format=image_format, **options)
    return ContentFile(buffer.getvalue(), name=f"receipt.{RECEIPT_FORMATS[image_format]}")
