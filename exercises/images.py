"""Uploaded pictures are drawn again by Pillow before they are stored."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from PIL import Image, ImageOps

CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


def reencode(upload: UploadedFile, image_format: str) -> SimpleUploadedFile:
    """A clean copy of the picture: only its pixels, written afresh in the same format.

    Whatever else the file carried (bytes appended after the image, HTML, metadata,
    a GPS position in EXIF) is not in the copy, so the stored bytes are an image
    and nothing more.
    """
    upload.seek(0)
    with Image.open(upload) as source:
        source.load()
        picture = ImageOps.exif_transpose(source)
    if image_format == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    elif picture.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        picture = picture.convert("RGBA")
    clean = Image.new(picture.mode, picture.size)
    if picture.mode == "P":
        clean.putpalette(picture.getpalette())
    clean.paste(picture)
    buffer = io.BytesIO()
    options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {"optimize": True}
    clean.save(buffer, format=image_format, **options)
    return SimpleUploadedFile(upload.name, buffer.getvalue(), CONTENT_TYPES[image_format])
