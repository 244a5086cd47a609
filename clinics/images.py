"""Uploaded pictures (exercise pictures, clinic logos) are checked and drawn again
by Pillow before they are stored."""

from __future__ import annotations

import io
import uuid

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
# Raster formats only: an SVG can carry scripts.
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 6000


def clean_picture(upload: object) -> object:
    """The form-clean step of an uploaded picture: a PNG, JPEG or WebP of at most
    2 MB and 6000 pixels a side, re-encoded under a random name. Anything else is
    a ValidationError the form shows beside the field."""
    if not isinstance(upload, UploadedFile):
        return upload  # unchanged, or cleared
    if upload.size > MAX_BYTES:
        raise forms.ValidationError(_("The picture is larger than 2 MB."))
    # Django's ImageField has already opened the file with Pillow; trust what
    # Pillow found in the content, not the file name or the browser's type.
    found = getattr(upload, "image", None)
    extension = EXTENSIONS.get(getattr(found, "format", None) or "")
    if extension is None:
        raise forms.ValidationError(_("Upload a PNG, JPEG or WebP picture."))
    if max(found.size) > MAX_SIDE:
        raise forms.ValidationError(
            _("The picture is too large: at most %(n)d pixels a side.") % {"n": MAX_SIDE}
        )
    clean = reencode(upload, found.format)
    clean.name = f"{uuid.uuid4().hex}.{extension}"
    return clean


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
