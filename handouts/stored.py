"""Where the worker keeps the handout PDFs it renders ahead of a download, and
when those copies go.

The copies hold patient data, so they live in the `handouts` storage of
`STORAGES` (settings: PRIVATE_FILES_ROOT, never under the public /media/); only
the signed-in, scoped and audited handout views read them. A copy is a head start,
never the record: a download renders a missing one again. So copies are deleted
freely: those of a superseded program version when the next is activated, all of
a patient's when the record is archived or portal access revoked, and by
`purge_stored_handouts` (old, superseded, archived, and any left in the public
media folder by earlier releases).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import Storage, default_storage, storages
from django.db import transaction
from django.utils import timezone

from prescriptions.models import Prescription

logger = logging.getLogger(__name__)

FOLDER = "handouts"


def handout_storage() -> Storage:
    return storages["handouts"]


def _program_of(file: str) -> int | None:
    """The program id of a stored name: handout-<program>-v<version>-<digest>.pdf."""
    kind, _sep, rest = file.partition("-")
    program = rest.partition("-")[0]
    return int(program) if kind == "handout" and program.isdigit() else None


def _stored_files(storage: Storage) -> list[str]:
    try:
        _folders, files = storage.listdir(FOLDER)
    except (OSError, NotImplementedError):
        return []
    return files


def _delete(storage: Storage, names: Iterable[str]) -> int:
    removed = 0
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete a stored handout.", exc_info=True)
            continue
        removed += 1
    return removed


def delete_stored(*, programs: Iterable[int], keep: Iterable[str] = ()) -> int:
    """Delete the stored copies of these programs except the names in `keep`.
    How many went."""
    storage = handout_storage()
    programs, keep = set(programs), set(keep)
    doomed = [
        f"{FOLDER}/{file}"
        for file in _stored_files(storage)
        if _program_of(file) in programs and f"{FOLDER}/{file}" not in keep
    ]
    return _delete(storage, doomed)


def delete_stored_for_patient(patient_id: int) -> int:
    """Every stored copy of a patient's handouts (archive, revoked portal access)."""
    programs = Prescription.objects.filter(patient_id=patient_id).values_list("pk", flat=True)
    return delete_stored(programs=programs)


def delete_stored_after_commit(patient_id: int) -> None:
    transaction.on_commit(lambda: delete_stored_for_patient(patient_id))


def purge_stored_handouts(*, now: datetime | None = None) -> int:
    """The retention job: delete the stored copies older than HANDOUT_STORE_DAYS,
    those of programs no longer in use or of archived patients, and every handout
    an earlier release left in the public media folder. How many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HANDOUT_STORE_DAYS)
    storage = handout_storage()
    files = _stored_files(storage)
    in_use = set(
        Prescription.objects.filter(
            pk__in={_program_of(file) for file in files} - {None},
            status=Prescription.Status.ACTIVE,
            patient__archived=False,
        ).values_list("pk", flat=True)
    )
    doomed = []
    for file in files:
        name = f"{FOLDER}/{file}"
        if _program_of(file) not in in_use or _modified(storage, name) < cutoff:
            doomed.append(name)
    removed = _delete(storage, doomed)
    if storage is not default_storage and _public_location_differs(storage):
        removed += _delete(
            default_storage,
            (f"{FOLDER}/{file}" for file in _stored_files(default_storage) if _program_of(file)),
        )
    return removed


def _modified(storage: Storage, name: str) -> datetime:
    try:
        return storage.get_modified_time(name)
    except (OSError, NotImplementedError):
        return datetime.min.replace(tzinfo=timezone.get_current_timezone())


def _public_location_differs(storage: Storage) -> bool:
    """False when an operator pointed the handout storage at the public media
    storage itself (the legacy sweep would then delete live copies)."""
    return getattr(storage, "location", None) != getattr(default_storage, "location", object())
