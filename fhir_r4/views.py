"""The read-only FHIR R4 API under /fhir/R4/.

Every answer is `application/fhir+json`; every error an OperationOutcome. A key sees
only its clinic: another clinic's ids answer 404 like missing ones."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from importlib import metadata as package_metadata
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError

from clinics.models import AuditEvent, audit
from patients.models import Patient

from . import everything
from . import resources as r
from . import search as s
from .auth import NotAuthenticated, Throttled, allows, request_key, smart_token
from .capability import capability_statement
from .codes import BASE_PATH

logger = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"
JSON_FORMATS = {"json", "application/json", FHIR_JSON, "application/json+fhir"}
# Parameters every search accepts besides the type's own.
COMMON_PARAMS = {"_cursor", "_format", "_pretty"}
READ_METHODS = frozenset({"GET", "HEAD"})


class FhirError(Exception):
    def __init__(self, status: int, code: str, diagnostics: str) -> None:
        super().__init__(diagnostics)
        self.status, self.code, self.diagnostics = status, code, diagnostics


def fhir_json(resource: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(resource, ensure_ascii=False),
        content_type=f"{FHIR_JSON}; charset=utf-8",
        status=status,
    )


def operation_outcome(status: int, code: str, diagnostics: str) -> HttpResponse:
    outcome = r.validated(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
        }
    )
    response = fhir_json(outcome, status)
    if status == 401:
        response["WWW-Authenticate"] = 'Api-Key realm="fhir"'
    return response


def read_only_refusal() -> HttpResponse:
    response = operation_outcome(405, "not-supported", "This FHIR API is read-only: use GET.")
    response["Allow"] = "GET, HEAD"
    return response


def without_body(response: HttpResponse) -> HttpResponse:
    """A HEAD answer: the GET answer's status and headers, no body."""
    response["Content-Length"] = str(len(response.content))
    response.content = b""
    return response


def _check_format(request: HttpRequest) -> None:
    wanted = request.GET.get("_format")
    if wanted is not None and wanted.split(";")[0].strip() not in JSON_FORMATS:
        raise FhirError(406, "not-supported", "This server answers JSON only.")
    accept = request.META.get("HTTP_ACCEPT", "")
    if accept:
        types = {part.split(";")[0].strip() for part in accept.split(",")}
        if not types & (JSON_FORMATS | {"*/*", "application/*"}):
            raise FhirError(406, "not-supported", "This server answers application/fhir+json.")


def scope_refusal(what: str) -> FhirError:
    return FhirError(403, "forbidden", f"This access token's scopes do not cover {what}.")


def fhir_endpoint(
    *, public: bool = False, methods: frozenset[str] = READ_METHODS, json_only: bool = True
) -> Callable:
    """GET (and HEAD) only unless `methods` says more, JSON only, English codes and
    texts, an API key or SMART token unless `public`, and every failure as an
    OperationOutcome. A SMART token reads only the resource types its scopes name.

    CSRF-exempt: nothing here writes or reads a session, and a write must meet the
    405 OperationOutcome below rather than Django's HTML CSRF page."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @never_cache
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = answer(request, *args, **kwargs)
            return without_body(response) if request.method == "HEAD" else response

        def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            with translation.override("en"):
                try:
                    if request.method not in methods:
                        if not public and smart_token(request) is not None:
                            # SMART scopes here are read scopes: the token may not write.
                            raise FhirError(
                                403, "forbidden", "This access token's scopes are read-only."
                            )
                        return read_only_refusal()
                    if json_only:
                        _check_format(request)
                    if not public:
                        credential = request_key(request)
                        resource_type = kwargs.get("resource_type")
                        if resource_type in s.SEARCHES and not allows(credential, resource_type):
                            raise scope_refusal(resource_type)
                    return view(request, *args, **kwargs)
                except NotAuthenticated as exc:
                    return operation_outcome(401, "login", str(exc))
                except Throttled as exc:
                    response = operation_outcome(429, "throttled", str(exc))
                    response["Retry-After"] = str(exc.wait)
                    return response
                except FhirError as exc:
                    return operation_outcome(exc.status, exc.code, exc.diagnostics)
                except s.SearchError as exc:
                    return operation_outcome(400, "invalid", str(exc))
                except ValidationError:
                    logger.exception("An invalid FHIR resource was built")
                    return operation_outcome(
                        500, "exception", "The server could not build a valid resource."
                    )
                except Exception:
                    # A FHIR client expects an OperationOutcome even when we fail.
                    logger.exception("The FHIR API failed on %s", request.path)
                    return operation_outcome(500, "exception", "The server failed; try again.")

        return wrapper

    return decorate


def software_version() -> str:
    try:
        return package_metadata.version("centra")
    except package_metadata.PackageNotFoundError:
        return "unknown"


def links_for(request: HttpRequest) -> s.Links:
    site_root = request.build_absolute_uri("/").rstrip("/")
    return s.Links(site_root=site_root, base=site_root + BASE_PATH)


def search_for(resource_type: str) -> s.Search:
    search = s.SEARCHES.get(resource_type)
    if search is None:
        raise FhirError(404, "not-supported", f"Unknown resource type {resource_type!r}.")
    return search


@csrf_exempt
def index(request: HttpRequest) -> HttpResponse:
    """A page for people: what the FHIR API offers and how to call it. A write to
    the base (a FHIR batch or transaction) is refused as every other write is."""
    if request.method not in READ_METHODS:
        return read_only_refusal()
    searches = [
        {"type": name, "params": sorted(search.params)} for name, search in s.SEARCHES.items()
    ]
    return render(
        request, "fhir/index.html", {"searches": searches, "base": links_for(request).base}
    )


@fhir_endpoint(public=True)
def metadata(request: HttpRequest) -> HttpResponse:
    statement = capability_statement(
        software_version=software_version(),
        published=timezone.localdate(),
        token_url=request.build_absolute_uri(reverse("fhir:smart_token")),
    )
    return fhir_json(r.validated(statement))


@fhir_endpoint()
def search_type(request: HttpRequest, resource_type: str) -> HttpResponse:
    search = search_for(resource_type)
    params = {name: request.GET.getlist(name) for name in request.GET}
    if any(not value.isprintable() for values in params.values() for value in values):
        # A NUL byte cannot even reach a PostgreSQL query; no parameter needs these.
        raise s.SearchError("A search parameter contains control characters.")
    unknown = sorted(set(params) - set(search.params) - COMMON_PARAMS)
    if unknown:
        raise s.SearchError(
            f"{resource_type} cannot be searched by {', '.join(unknown)}; "
            f"see /fhir/R4/metadata for the supported parameters."
        )
    links = links_for(request)
    clinic = request.auth.clinic
    page = s.run(search, clinic, params, links)
    bundle_links = [{"relation": "self", "url": request.build_absolute_uri()}]
    if page.next_cursor is not None:
        query = request.GET.copy()
        query["_cursor"] = page.next_cursor
        bundle_links.append(
            {"relation": "next", "url": f"{links.base}/{resource_type}?{query.urlencode()}"}
        )
    bundle = searchset(
        links,
        [(resource, "match") for resource in page.resources],
        page.total,
        bundle_links,
        snapshot=page.snapshot,
    )
    if search.audited:
        audit(
            action=AuditEvent.Action.VIEW,
            request=request,
            clinic=clinic,
            object_type=f"fhir:{resource_type}",
            detail={
                "ids": [resource["id"] for resource in page.resources],
                "filters": {
                    name: values
                    for name, values in params.items()
                    if name in search.params and name != "_count"
                },
            },
        )
    return fhir_json(bundle)


@fhir_endpoint()
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    search = s.for_resource(search_for(resource_type), resource_id)
    resource, row = s.read(search, request.auth.clinic, resource_id, links_for(request))
    if resource is None:
        raise FhirError(404, "not-found", f"{resource_type}/{resource_id} is not known.")
    if search.audited:
        audit(
            action=AuditEvent.Action.VIEW,
            target=row,
            request=request,
            clinic=request.auth.clinic,
            object_type=f"fhir:{resource_type}",
            object_id=resource_id,
        )
    r.versioned(resource)
    etag = f'W/"{resource["meta"]["versionId"]}"'
    if etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
        response = HttpResponse(status=304)
    else:
        response = fhir_json(r.validated(resource))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(
        datetime.fromisoformat(resource["meta"]["lastUpdated"]).timestamp()
    )
    return response


def etag_matches(if_none_match: str, etag: str) -> bool:
    """If-None-Match against our weak ETag (weak comparison, as RFC 9110 asks for it)."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


@fhir_endpoint()
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other address under /fhir/R4/ (history, compartments, operations)."""
    raise FhirError(404, "not-supported", f"{rest!r} is not supported; see /fhir/R4/metadata.")


@fhir_endpoint()
def patient_everything(request: HttpRequest, resource_id: str) -> HttpResponse:
    """Everything about one patient: the patient, programs, prescribed exercises,
    handouts, logs, observations, alerts and the definitions they use, in pages."""
    if not allows(request.auth, "*"):
        raise scope_refusal("every resource type ($everything needs system/*.read)")
    pk = s.SEARCHES["Patient"].row_pk(resource_id)
    patient = (
        Patient.objects.for_clinic(request.auth.clinic)
        .select_related("clinic")
        .filter(pk=pk)
        .first()
        if pk is not None
        else None
    )
    if patient is None:
        raise FhirError(404, "not-found", f"Patient/{resource_id} is not known.")
    params = {name: request.GET.getlist(name) for name in request.GET}
    links = links_for(request)
    found = everything.page(patient, params, links)
    bundle_links = [{"relation": "self", "url": request.build_absolute_uri()}]
    if found.next_cursor is not None:
        query = request.GET.copy()
        query["_cursor"] = found.next_cursor
        bundle_links.append(
            {
                "relation": "next",
                "url": f"{links.base}/Patient/{resource_id}/$everything?{query.urlencode()}",
            }
        )
    bundle = searchset(links, found.entries, found.total, bundle_links, snapshot=found.snapshot)
    audit(
        action=AuditEvent.Action.VIEW,
        target=patient,
        request=request,
        clinic=request.auth.clinic,
        object_type="fhir:Patient/$everything",
        detail={"resources": len(found.entries)},
    )
    return fhir_json(bundle)


def searchset(
    links: s.Links,
    entries: list[tuple[dict[str, Any], str]],
    total: int,
    bundle_links: list[dict[str, str]],
    *,
    snapshot: datetime | None = None,
) -> dict[str, Any]:
    """A searchset Bundle, validated as a whole (which validates every entry).
    `snapshot`, the moment the paging run began, is its `meta.lastUpdated`: the
    run holds every change up to it, and the next run starts after it."""
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": timezone.now().isoformat(),
        "total": total,
        "link": bundle_links,
    }
    if snapshot is not None:
        bundle["meta"] = r.meta(snapshot)
    if entries:  # FHIR JSON has no empty arrays
        bundle["entry"] = [
            {
                "fullUrl": links.full_url(resource),
                "resource": r.versioned(resource),
                "search": {"mode": mode},
            }
            for resource, mode in entries
        ]
    return r.validated(bundle)
