"""Uploaded pictures (exercise pictures, clinic logos) are checked and drawn again
by Pillow before they are stored; the form field and widget both upload forms use."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
# Raster formats only: an SVG can carry scripts.
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
# The help texts of the upload fields and the too-large page say "2 MB" too.
MAX_MEGABYTES = 2
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024
MAX_SIDE = 6000
ACCEPT = "image/png,image/jpeg,image/webp"


def too_large_message() -> str:
    return _("The picture is larger than 2 MB.")


def too_many_pixels_message() -> str:
    return _("The picture is too large: at most %(n)d pixels a side.") % {"n": MAX_SIDE}


class PictureInput(forms.ClearableFileInput):
    """A picture's file input that shows the stored picture itself (not its file
    name) with a "Remove" box, and tells the browser the size limit so that
    dashboard.js can refuse a too-large file before it is sent."""

    template_name = "clinics/widgets/picture_input.html"

    def __init__(self, *, current_text: Any, remove_text: Any, attrs: dict | None = None) -> None:
        super().__init__(attrs={"accept": ACCEPT, "data-max-bytes": MAX_BYTES, **(attrs or {})})
        self.initial_text = current_text
        self.clear_checkbox_label = remove_text
        self.input_text = gettext_lazy("Or choose another picture to replace it:")

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-too-large"] = too_large_message()
        return context


class PictureField(forms.ImageField):
    """An image field that gives the size message for a picture of any size.

    Pillow will not open a picture of more than about 179 million pixels (its guard
    against decompression bombs) and warns above half that; Django's ImageField then
    calls the file "not an image or a corrupted image", which is untrue and no help.
    """

    def to_python(self, data: Any) -> Any:
        try:
            return super().to_python(data)
        except forms.ValidationError as error:
            if isinstance(
                error.__cause__, Image.DecompressionBombError | Image.DecompressionBombWarning
            ):
                raise forms.ValidationError(too_many_pixels_message(), code="too_big") from error
            raise


def clean_picture(upload: object) -> object:
    """The form-clean step of an uploaded picture: a PNG, JPEG or WebP of at most
    2 MB and 6000 pixels a side, re-encoded under a random name. Anything else is
    a ValidationError the form shows beside the field."""
    if not isinstance(upload, UploadedFile):
        return upload  # unchanged, or cleared
    if upload.size > MAX_BYTES:
        raise forms.ValidationError(too_large_message())
    # Django's ImageField has already opened the file with Pillow; trust what
    # Pillow found in the content, not the file name or the browser's type.
    found = getattr(upload, "image", None)
    extension = EXTENSIONS.get(getattr(found, "format", None) or "")
    if extension is None:
        raise forms.ValidationError(_("Upload a PNG, JPEG or WebP picture."))
    if max(found.size) > MAX_SIDE:
        raise forms.ValidationError(too_many_pixels_message())
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
