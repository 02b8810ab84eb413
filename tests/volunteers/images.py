"""Small in-memory image files for receipt uploads."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_upload(image_format: str = "JPEG", name: str = "IMG_2024.jpg", padding: int = 0):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 180, 40)).save(buffer, format=image_format)
    content_type = f"image/{image_format.lower()}"
    return SimpleUploadedFile(name, buffer.getvalue() + b"\0" * padding, content_type=content_type)
