"""FHIR Bulk Data `$export`: which resources an export holds, how the worker writes
them as NDJSON files, and when those files go.

Each line is the resource exactly as a read of it answers (validated, with
`meta.versionId`). An export holds what was last updated after `_since` and up to
its `transactionTime`, the moment it was asked for: what changes later is in the
next export, asked with `_since` that moment.

The files hold patient data: they are written to the private `exports` storage
(the handouts' place, or the S3 bucket), served only to the credential that asked,
and deleted FHIR_EXPORT_KEEP_MINUTES after they were written, or at once on a
DELETE of the status URL."""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import tempfile
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.core.files import File
from django.core.files.storage import Storage, storages
from django.utils import timezone

from clinics.models import Clinic

from . import resources as r
from . import search as s
from .codes import BASE_PATH
from .models import BulkExport, export_lifetime

logger = logging.getLogger(__name__)

# The patient compartment (Patient- and Group-level exports) and, for a system
# export, the definitions the programs use as well.
PATIENT_TYPES = [
    "Patient",
    "Condition",
    "CarePlan",
    "ServiceRequest",
    "DocumentReference",
    "QuestionnaireResponse",
    "Observation",
    "Flag",
]
SYSTEM_TYPES = [*PATIENT_TYPES, "ActivityDefinition", "PlanDefinition", "Questionnaire"]
OUTPUT_FORMATS = {"application/fhir+ndjson", "application/ndjson", "ndjson"}
PARAMS = {"_since", "_type", "_outputFormat"}
CHUNK = 500


def export_storage() -> Storage:
    return storages["exports"]


def types_for(level: str) -> list[str]:
    return SYSTEM_TYPES if level == BulkExport.Level.SYSTEM else PATIENT_TYPES


def chosen_types(level: str, values: list[str]) -> list[str]:
    """The `_type` list, in our order; SearchError for a type this export cannot hold."""
    offered = types_for(level)
    if not values:
        return offered
    wanted = {part.strip() for value in values for part in value.split(",") if part.strip()}
    unknown = sorted(wanted - set(offered))
    if unknown:
        raise s.SearchError(
            f"_type: this export cannot hold {', '.join(unknown)}; it holds {', '.join(offered)}."
        )
    return [name for name in offered if name in wanted]


def start_export(
    *,
    clinic: Clinic,
    owner: str,
    level: str,
    request_url: str,
    since: datetime | None,
    types: list[str],
    now: datetime | None = None,
) -> BulkExport:
    now = now or timezone.now()
    return BulkExport.objects.create(
        clinic=clinic,
        owner=owner,
        token=secrets.token_urlsafe(32),
        level=level,
        request_url=request_url,
        since=since,
        types=types,
        transaction_time=now,
        created_at=now,
        # Until it is done; then FHIR_EXPORT_KEEP_MINUTES from the moment it was.
        expires_at=now + export_lifetime(),
    )


def _searches(resource_type: str) -> list[s.Search]:
    return [s.SEARCHES[resource_type], *s.OTHER_SOURCES.get(resource_type, [])]


def resources_of(export: BulkExport, resource_type: str, links: s.Links) -> Iterator[dict]:
    """Every resource of one type this export holds, as a read answers it."""
    for search in _searches(resource_type):
        if search.static is not None:
            found = search.static()
        else:
            rows = s.annotated(search, export.clinic).filter(
                fhir_updated__lte=export.transaction_time
            )
            if export.since is not None:
                rows = rows.filter(fhir_updated__gt=export.since)
            found = (
                resource
                for row in rows.iterator(chunk_size=CHUNK)
                for resource in search.build(row, links)
            )
        for resource in found:
            updated = resource.get("meta", {}).get("lastUpdated")
            if (
                search.static is not None
                and export.since is not None
                and updated
                and datetime.fromisoformat(updated) <= export.since
            ):
                continue
            yield r.validated(r.versioned(resource))


def write_export(export: BulkExport, links: s.Links, *, now: datetime | None = None) -> None:
    """Write one NDJSON file per type that has resources, and the manifest's output."""
    storage = export_storage()
    output: list[dict[str, Any]] = []
    for index, resource_type in enumerate(export.types, start=1):
        BulkExport.objects.filter(pk=export.pk).update(
            progress=f"{resource_type} ({index} of {len(export.types)} types)"
        )
        count = 0
        with tempfile.TemporaryFile() as lines:
            for resource in resources_of(export, resource_type, links):
                lines.write(json.dumps(resource, ensure_ascii=False).encode() + b"\n")
                count += 1
            if count:
                lines.seek(0)
                name = f"{resource_type}.ndjson"
                storage.save(f"{export.folder}/{name}", File(lines, name=name))
                output.append({"type": resource_type, "name": name, "count": count})
    now = now or timezone.now()
    export.output = output
    export.status = BulkExport.Status.DONE
    export.progress = ""
    export.finished_at = now
    export.expires_at = now + export_lifetime()
    export.save(update_fields=["output", "status", "progress", "finished_at", "expires_at"])


def delete_export(export: BulkExport) -> None:
    """The export's files (also those of a run that failed half-way) and its row."""
    storage = export_storage()
    names = {file["name"] for file in export.output}
    with contextlib.suppress(OSError, NotImplementedError):
        names.update(storage.listdir(export.folder)[1])
    for name in names:
        try:
            storage.delete(f"{export.folder}/{name}")
        except OSError:
            logger.warning("Could not delete an export file.", exc_info=True)
    export.delete()


def links_of(export: BulkExport) -> s.Links:
    """The addresses the export's resources name: those of the server it was asked of."""
    parts = urlsplit(export.request_url)
    site_root = f"{parts.scheme}://{parts.netloc}"
    return s.Links(site_root=site_root, base=site_root + BASE_PATH)


def purge_expired_exports(*, now: datetime | None = None) -> int:
    """Delete every export whose time is up; how many went."""
    doomed = list(BulkExport.objects.expired(now))
    for export in doomed:
        delete_export(export)
    return len(doomed)
