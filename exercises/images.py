"""Uploaded pictures are drawn again by Pillow before they are stored (the code
lives in the core, `clinics.images`, so the clinic's logo is cleaned the same way)."""

from clinics.images import CONTENT_TYPES, reencode

__all__ = ["CONTENT_TYPES", "reencode"]
