"""The stored handouts must not sit where /media/ serves them to anyone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.core.files.storage import FileSystemStorage

from .stored import handout_storage


@register()
def handouts_stored_privately(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    storage = handout_storage()
    if not isinstance(storage, FileSystemStorage):  # an object store: not under /media/
        return []
    location = storage.location
    stored, public = Path(location).resolve(), Path(settings.MEDIA_ROOT).resolve()
    if stored == public or public in stored.parents:
        return [
            Error(
                "The handouts storage is inside MEDIA_ROOT, which /media/ serves to anyone.",
                hint="Set PRIVATE_FILES_ROOT to a folder outside MEDIA_ROOT.",
                id="handouts.E001",
            )
        ]
    return []
