"""Bulk Data `$export` by the asynchronous request pattern: the kick-off answers 202
with a status URL (`Content-Location`); the status URL answers 202 with `X-Progress`
while the worker writes, then 200 with the manifest; each file of the manifest is
served, with the same credential, until the export's time is up or the client
DELETEs the status URL.

Only the credential that asked (the same API key, or the same SMART client) sees an
export: anyone else gets 404, as for an export that never was."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from clinics.models import AuditEvent, audit

from . import bulk
from .auth import allows, owner_label
from .everything import _since as parse_since
from .models import BulkExport
from .search import SearchError
from .tasks import run_export
from .views import FhirError, fhir_endpoint, fhir_json, scope_refusal

FORMAT_PARAMS = {"_format", "_pretty"}
STATUS_METHODS = frozenset({"GET", "HEAD", "DELETE"})
RETRY_AFTER_SECONDS = 2


def _wants_async(request: HttpRequest) -> bool:
    prefer = request.META.get("HTTP_PREFER", "")
    return any(part.strip().lower() == "respond-async" for part in prefer.split(","))


def _kickoff(request: HttpRequest, level: str) -> HttpResponse:
    if not _wants_async(request):
        raise FhirError(400, "invalid", "$export runs asynchronously: send Prefer: respond-async.")
    params = {name: request.GET.getlist(name) for name in request.GET}
    unknown = sorted(set(params) - bulk.PARAMS - FORMAT_PARAMS)
    if unknown:
        raise SearchError(
            f"$export takes _since, _type and _outputFormat, not {', '.join(unknown)}."
        )
    output_format = (params.get("_outputFormat") or ["application/fhir+ndjson"])[-1]
    if output_format not in bulk.OUTPUT_FORMATS:
        raise SearchError("_outputFormat: this server writes application/fhir+ndjson only.")
    since = parse_since(params["_since"]) if params.get("_since") else None
    credential = request.auth
    types = bulk.chosen_types(level, params.get("_type", []))
    if params.get("_type"):
        refused = [name for name in types if not allows(credential, name)]
        if refused:
            raise scope_refusal(", ".join(refused))
    else:
        types = [name for name in types if allows(credential, name)]
        if not types:
            raise scope_refusal("any resource type this export holds")
    with transaction.atomic():
        export = bulk.start_export(
            clinic=credential.clinic,
            owner=owner_label(credential),
            level=level,
            request_url=request.build_absolute_uri(),
            since=since,
            types=types,
        )
        transaction.on_commit(lambda: run_export.enqueue(export.pk))
    audit(
        action=AuditEvent.Action.EXPORT,
        request=request,
        clinic=export.clinic,
        object_type="fhir:$export",
        object_id=export.pk,
        detail={"level": level, "types": types, "since": since.isoformat() if since else None},
    )
    response = fhir_json(
        {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "information",
                    "code": "informational",
                    "diagnostics": "The export has started; poll the Content-Location URL.",
                }
            ],
        },
        status=202,
    )
    response["Content-Location"] = _status_url(request, export)
    return response


def _status_url(request: HttpRequest, export: BulkExport) -> str:
    return request.build_absolute_uri(reverse("fhir:export_status", args=[export.token]))


@fhir_endpoint()
def export_system(request: HttpRequest) -> HttpResponse:
    """`GET /fhir/R4/$export`: every resource of the clinic, definitions included."""
    return _kickoff(request, BulkExport.Level.SYSTEM)


@fhir_endpoint()
def export_patients(request: HttpRequest) -> HttpResponse:
    """`GET /fhir/R4/Patient/$export`: the clinic's patients and their records."""
    return _kickoff(request, BulkExport.Level.PATIENT)


@fhir_endpoint()
def export_group(request: HttpRequest, group_id: str) -> HttpResponse:
    """`GET /fhir/R4/Group/<clinic slug>/$export`: the one group there is, the
    clinic's patients."""
    if group_id != request.auth.clinic.slug:
        raise FhirError(404, "not-found", f"Group/{group_id} is not known.")
    return _kickoff(request, BulkExport.Level.GROUP)


def _own_export(request: HttpRequest, token: str) -> BulkExport:
    """The caller's export, or 404; an export whose time is up goes now."""
    export = (
        BulkExport.objects.for_owner(request.auth.clinic, owner_label(request.auth))
        .filter(token=token)
        .select_related("clinic")
        .first()
    )
    if export is not None and export.expires_at <= timezone.now():
        bulk.delete_export(export)
        export = None
    if export is None:
        raise FhirError(404, "not-found", "No such export (or its files were deleted).")
    return export


def manifest(request: HttpRequest, export: BulkExport) -> dict[str, Any]:
    return {
        "transactionTime": export.transaction_time.isoformat(),
        "request": export.request_url,
        "requiresAccessToken": True,
        "output": [
            {
                "type": file["type"],
                "url": request.build_absolute_uri(
                    reverse("fhir:export_file", args=[export.token, file["name"]])
                ),
                "count": file["count"],
            }
            for file in export.output
        ],
        "error": [],
    }


@fhir_endpoint(methods=STATUS_METHODS)
def export_status(request: HttpRequest, token: str) -> HttpResponse:
    export = _own_export(request, token)
    if request.method == "DELETE":
        bulk.delete_export(export)
        return HttpResponse(status=202)
    if export.status in {BulkExport.Status.QUEUED, BulkExport.Status.RUNNING}:
        response = HttpResponse(status=202)
        response["X-Progress"] = export.progress or export.get_status_display()
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if export.status == BulkExport.Status.FAILED:
        raise FhirError(500, "exception", export.error or "The export failed.")
    response = JsonResponse(manifest(request, export))
    response["Expires"] = http_date(export.expires_at.timestamp())
    return response


@fhir_endpoint(methods=frozenset({"GET"}), json_only=False)
def export_file(request: HttpRequest, token: str, name: str) -> HttpResponse:
    export = _own_export(request, token)
    found = next((file for file in export.output if file["name"] == name), None)
    if export.status != BulkExport.Status.DONE or found is None:
        raise FhirError(404, "not-found", "No such file in this export.")
    audit(
        action=AuditEvent.Action.DOWNLOAD,
        request=request,
        clinic=export.clinic,
        object_type="fhir:$export",
        object_id=export.pk,
        detail={"file": name, "count": found["count"]},
    )
    return FileResponse(
        bulk.export_storage().open(f"{export.folder}/{name}", "rb"),
        content_type="application/fhir+ndjson",
    )
