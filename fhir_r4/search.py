"""Which rows each resource type is read from, how they are searched and paged.

Every search is sorted by (last updated, id) and paged by keyset: the `next` link
carries the position of the last resource returned, never an offset, and the run's
snapshot: an instant taken when the first page was read, before which every write has
committed (`changelog.models.safe_instant`, a little before now while a write is under
way). Later pages hold only what was last updated at or before it, so a run returns
each resource at most once; what changes meanwhile, or was stamped before it but not yet
committed, waits for the next run (`_lastUpdated=gt` the snapshot, which every page
states as the Bundle's `meta.lastUpdated`), which misses nothing. See docs/sync.md."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime

from assessments.models import Assessment, MovementTest
from changelog.models import safe_instant
from clinics.models import Clinic
from exercises.models import Exercise, Progression, ProgressionStep
from patients.models import Patient
from prescriptions.models import (
    Alert,
    OutcomeMeasure,
    Prescription,
    PrescriptionItem,
    RedFlagCheck,
    SymptomLog,
)
from prescriptions.outcome_models import Instrument

from . import assessment_resources as ar
from . import outcome_resources as outcomes
from . import resources as r
from .codes import CODE_SYSTEMS, REQUEST_STATUS
from .codes import OBSERVATION as OBSERVATION_CODES
from .resources import identifier_system

DEFAULT_COUNT = 50
MAX_COUNT = 200
# The largest row id (PostgreSQL bigint); a cursor naming a larger one was not ours.
MAX_ROW_ID = 2**63 - 1


class SearchError(ValueError):
    """A search parameter the server cannot honour; answered 400."""


@dataclass
class Links:
    """Absolute addresses for the resources of one request."""

    site_root: str  # e.g. https://centra.example.org
    base: str  # site_root + /fhir/R4

    def full_url(self, resource: dict[str, Any]) -> str:
        return f"{self.base}/{resource['resourceType']}/{resource['id']}"


Builder = Callable[[Any, Links], list[dict[str, Any]]]
Filter = Callable[[QuerySet, str, Clinic], QuerySet]


@dataclass(frozen=True)
class Search:
    """One resource type: its rows, how a row becomes resources, its parameters."""

    resource_type: str
    rows: Callable[[Clinic], QuerySet] | None
    build: Builder
    # Sort and _lastUpdated field (or expression); None: sorted by id only.
    updated: Any = None
    filters: dict[str, Filter] = field(default_factory=dict)
    # Parameters that choose among the resources one row makes (not among rows).
    narrowers: dict[str, Callable[[Search, str], Search]] = field(default_factory=dict)
    docs: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Resource ids are "<prefix><row id>" for one of these prefixes.
    id_prefixes: tuple[str, ...] = ("",)
    resources_per_row: int = 1
    # Patient data is audited; definitions and code systems are not.
    audited: bool = True
    static: Callable[[], list[dict[str, Any]]] | None = None

    @property
    def params(self) -> dict[str, tuple[str, str]]:
        params = dict(self.docs)
        if self.updated is not None:
            params["_lastUpdated"] = (
                "date",
                "gt, ge, lt, le or eq with a date or an instant; repeat for a range.",
            )
        params["_id"] = ("token", "The resource id.")
        params["_count"] = ("number", f"Page size, 1 to {MAX_COUNT} (default {DEFAULT_COUNT}).")
        return params

    def row_pk(self, resource_id: str) -> int | None:
        for prefix in self.id_prefixes:
            if resource_id.startswith(prefix):
                rest = resource_id[len(prefix) :]
                if rest.isascii() and rest.isdigit() and len(rest) <= 18:
                    return int(rest)
        return None


# Parameter parsing


def reference_id(value: str, resource_type: str) -> int:
    """`123` or `Patient/123` (or a full URL ending so) as a row id."""
    tail = value.rstrip("/").rsplit("/", 2)
    if len(tail) >= 2 and tail[-2] != resource_type:
        raise SearchError(f"Expected a {resource_type} reference, got {value!r}.")
    last = tail[-1]
    if not (last.isascii() and last.isdigit() and len(last) <= 18):
        raise SearchError(f"Not a {resource_type} id: {value!r}.")
    return int(last)


def _in_range(moment: datetime) -> datetime:
    """`moment` as a UTC instant, or ValueError if it has none (0001-01-01T00:00+14:00
    is before the first instant a database stores, 9999-12-31T23:00-14:00 after the last)."""
    try:
        return moment.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("out of range") from exc


def last_updated_bounds(value: str) -> Q:
    """One `_lastUpdated` value as a condition on the annotation `fhir_updated`."""
    # An unencoded "+" of a time zone offset arrives as a space.
    value = value.replace(" ", "+")
    prefix, rest = value[:2], value[2:]
    if prefix not in {"gt", "ge", "lt", "le", "eq"}:
        prefix, rest = "eq", value
    try:
        # Django's parsers answer None to what is not shaped like a date, and raise
        # ValueError for a well-shaped impossible one (2026-02-30, 25:00).
        moment = parse_datetime(rest) if "T" in rest else None
        if moment is not None:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            start = end = _in_range(moment)
            end_lookup = "lte"
        else:
            day = parse_date(rest) if len(rest) == 10 else None
            if day is None:
                raise ValueError("not a date")
            start = datetime.combine(day, time.min, tzinfo=UTC)
            end = start + timedelta(days=1)
            end_lookup = "lt"
    except (ValueError, OverflowError) as exc:
        raise SearchError(f"_lastUpdated: not a date or instant: {value!r}.") from exc
    if prefix == "gt":
        return Q(**{"fhir_updated__gte" if end_lookup == "lt" else "fhir_updated__gt": end})
    if prefix == "ge":
        return Q(fhir_updated__gte=start)
    if prefix == "lt":
        return Q(fhir_updated__lt=start)
    if prefix == "le":
        return Q(**{f"fhir_updated__{end_lookup}": end})
    return Q(fhir_updated__gte=start) & Q(**{f"fhir_updated__{end_lookup}": end})


def count_param(value: str | None) -> int:
    if value is None:
        return DEFAULT_COUNT
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_COUNT:
        raise SearchError(f"_count must be a whole number from 1 to {MAX_COUNT}.")
    return int(value)


def encode_token(values: list[Any]) -> str:
    raw = json.dumps(values).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> Any:
    """The JSON a cursor carries; ValueError if it is not one."""
    try:
        return json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError("not a cursor") from exc


def instant_or_none(value: Any) -> datetime | None:
    """A cursor's instant (None stays None); ValueError for anything else."""
    if value is None:
        return None
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        raise ValueError("not an instant")
    return _in_range(moment)


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: the last row's (last updated, id), how many of its
    resources were returned, the run's snapshot, and which of the type's sources
    (`SOURCES`) it is in. `pk` 0 is the start of that source."""

    updated: datetime | None
    pk: int
    skip: int
    snapshot: datetime | None
    source: int = 0


def encode_cursor(cursor: Cursor) -> str:
    updated, snapshot = cursor.updated, cursor.snapshot
    values = [updated.isoformat() if updated else None, cursor.pk, cursor.skip]
    values.append(snapshot.isoformat() if snapshot else None)
    if cursor.source:
        values.append(cursor.source)
    return encode_token(values)


def decode_cursor(token: str) -> Cursor:
    try:
        values = decode_token(token)
        # Cursors given out before the snapshot was added have three parts, before
        # the sources four.
        updated, pk, skip, *rest = values if isinstance(values, list) else [None]
        source = rest[1] if len(rest) > 1 else 0
        if len(rest) > 2 or not (
            isinstance(pk, int)
            and isinstance(skip, int)
            and isinstance(source, int)
            and 0 <= pk <= MAX_ROW_ID
            and skip >= 0
            and 0 <= source < 10
        ):
            raise ValueError
        moment = instant_or_none(updated)
        snapshot = instant_or_none(rest[0]) if rest else None
    except (ValueError, TypeError) as exc:
        raise SearchError("_cursor is not a cursor this server gave out.") from exc
    return Cursor(moment, pk, skip, snapshot, source)


# Filters shared by several types


def by_patient(path: str) -> Filter:
    def apply(rows: QuerySet, value: str, clinic: Clinic) -> QuerySet:
        ids = [reference_id(part, "Patient") for part in value.split(",")]
        return rows.filter(**{f"{path}__in": ids})

    return apply


def by_status(mapping: dict[str, Q]) -> Filter:
    def apply(rows: QuerySet, value: str, clinic: Clinic) -> QuerySet:
        condition = Q(pk__in=[])
        for part in value.split(","):
            if part not in mapping:
                raise SearchError(f"status must be one of {', '.join(mapping)}.")
            condition |= mapping[part]
        return rows.filter(condition)

    return apply


def by_identifier(rows: QuerySet, value: str, clinic: Clinic) -> QuerySet:
    system, sep, code = value.rpartition("|")
    if sep and system and system != identifier_system(clinic.slug):
        return rows.none()
    if not code:
        raise SearchError("identifier needs a value: identifier=[system|]value.")
    return rows.filter(external_id=code)


def by_active(rows: QuerySet, value: str, clinic: Clinic) -> QuerySet:
    if value not in {"true", "false"}:
        raise SearchError("active must be true or false.")
    return rows.filter(archived=value == "false")


def by_observation_code(search: Search, value: str) -> Search:
    """Keeps the observations whose code matches one of `[system|]code`, ..."""
    wanted = []
    for part in value.split(","):
        system, sep, code = part.rpartition("|")
        if not code:
            raise SearchError("code needs a value: code=[system|]code.")
        wanted.append((system if sep and system else None, code))

    def matches(concept: dict[str, Any]) -> bool:
        return any(
            coding["code"] == code and system in (None, coding["system"])
            for coding in concept["coding"]
            for system, code in wanted
        )

    return replace(
        search,
        build=lambda row, links: [res for res in search.build(row, links) if matches(res["code"])],
        resources_per_row=sum(matches(concept) for concept in r.observation_codes()),
    )


def by_resource_id(search: Search, value: str) -> Search:
    """Keeps the resources named by `_id` (a row can make several, e.g. pain-1 and
    location-1), before paging, so that totals and `next` links count only them."""
    wanted = set(value.split(","))
    return replace(
        search,
        build=lambda row, links: [res for res in search.build(row, links) if res["id"] in wanted],
    )


PATIENT_DOC = {"patient": ("reference", "The patient: `123` or `Patient/123`.")}


def request_status(path: str) -> Filter:
    back = {fhir: Q(**{path: ours}) for ours, fhir in REQUEST_STATUS.items()}
    return by_status(back)


# The rows behind each resource type


def _prescriptions(clinic: Clinic) -> QuerySet:
    return (
        Prescription.objects.for_clinic(clinic)
        .select_related("patient__clinic", "prescribed_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=PrescriptionItem.objects.select_related("exercise").order_by("position"),
            )
        )
    )


def _handouts(clinic: Clinic) -> QuerySet:
    return Prescription.objects.for_clinic(clinic).filter(
        Exists(PrescriptionItem.objects.filter(prescription=OuterRef("pk")))
    )


def _progressions(clinic: Clinic) -> QuerySet:
    return (
        Progression.objects.for_clinic(clinic)
        .select_related("clinic")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=ProgressionStep.objects.select_related("exercise").order_by("position"),
            )
        )
    )


def _one(build: Callable[..., dict[str, Any]]) -> Builder:
    return lambda row, links: [build(row)]


def _one_with_links(build: Callable[..., dict[str, Any]]) -> Builder:
    return lambda row, links: [build(row, links.site_root)]


SEARCHES: dict[str, Search] = {
    search.resource_type: search
    for search in [
        Search(
            "Patient",
            rows=lambda clinic: Patient.objects.for_clinic(clinic).select_related("clinic"),
            build=_one(r.patient_resource),
            updated=F("updated_at"),
            filters={"identifier": by_identifier, "active": by_active},
            docs={
                "identifier": ("token", "The clinic system's id: `[system|]value`."),
                "active": ("token", "`false` for archived patients."),
            },
        ),
        Search(
            "Condition",
            rows=lambda clinic: Patient.objects.for_clinic(clinic).exclude(classification=""),
            build=_one(r.condition_resource),
            updated=F("updated_at"),
            filters={"patient": by_patient("pk")},
            docs=PATIENT_DOC,
        ),
        Search(
            "CarePlan",
            rows=_prescriptions,
            build=_one(r.care_plan_resource),
            updated=F("updated_at"),
            filters={"patient": by_patient("patient"), "status": request_status("status")},
            docs={**PATIENT_DOC, "status": ("token", "draft, active or completed.")},
        ),
        Search(
            "ServiceRequest",
            rows=lambda clinic: PrescriptionItem.objects.for_clinic(clinic).select_related(
                "prescription__prescribed_by", "exercise"
            ),
            build=_one(r.service_request_resource),
            updated=F("prescription__updated_at"),
            filters={
                "patient": by_patient("prescription__patient"),
                "status": request_status("prescription__status"),
            },
            docs={**PATIENT_DOC, "status": ("token", "draft, active or completed.")},
        ),
        Search(
            "DocumentReference",
            rows=_handouts,
            build=_one_with_links(r.document_reference_resource),
            updated=F("updated_at"),
            filters={"patient": by_patient("patient")},
            docs=PATIENT_DOC,
            id_prefixes=("handout-",),
        ),
        Search(
            "QuestionnaireResponse",
            rows=lambda clinic: SymptomLog.objects.for_clinic(clinic).select_related("session"),
            build=_one(r.questionnaire_response_resource),
            updated=F("created_at"),
            filters={"patient": by_patient("patient")},
            docs=PATIENT_DOC,
        ),
        Search(
            "Observation",
            rows=lambda clinic: SymptomLog.objects.for_clinic(clinic),
            build=lambda row, links: r.observation_resources(row),
            updated=F("created_at"),
            filters={"patient": by_patient("patient")},
            narrowers={"code": by_observation_code},
            docs={
                **PATIENT_DOC,
                "code": (
                    "token",
                    "`http://loinc.org|72514-3` (pain severity), "
                    "`pain-location` (where the pain reaches), or an outcome measure: "
                    "`nprs`, `psfs` or `groc`.",
                ),
            },
            id_prefixes=("pain-", "location-"),
            resources_per_row=2,
        ),
        Search(
            "Flag",
            rows=lambda clinic: Alert.objects.for_clinic(clinic),
            build=_one(r.flag_resource),
            updated=F("updated_at"),
            filters={
                "patient": by_patient("patient"),
                "status": by_status(
                    {
                        "active": Q(acknowledged_at__isnull=True),
                        "inactive": Q(acknowledged_at__isnull=False),
                    }
                ),
            },
            docs={
                **PATIENT_DOC,
                "status": ("token", "active (open alerts) or inactive (acknowledged)."),
            },
        ),
        Search(
            "ActivityDefinition",
            rows=lambda clinic: Exercise.objects.for_clinic(clinic).select_related("clinic"),
            build=_one_with_links(r.activity_definition_resource),
            updated=F("updated_at"),
            audited=False,
        ),
        Search(
            "PlanDefinition",
            rows=_progressions,
            build=_one(r.plan_definition_resource),
            updated=F("updated_at"),
            audited=False,
        ),
        Search(
            "Questionnaire",
            rows=None,
            build=lambda row, links: [row],
            static=lambda: [r.questionnaire_resource(), outcomes.red_flag_questionnaire()],
            id_prefixes=(),
            audited=False,
        ),
        Search(
            "CodeSystem",
            rows=None,
            build=lambda row, links: [row],
            static=lambda: [r.code_system_resource(spec) for spec in CODE_SYSTEMS.values()],
            id_prefixes=(),
            audited=False,
        ),
    ]
}


# The assessments' Observations, read by id (`Observation/extension-lying-12`) and in
# Patient/$everything; the Observation search lists the symptom logs' observations.
ASSESSMENT_OBSERVATIONS = Search(
    "Observation",
    rows=lambda clinic: (
        Assessment.objects.for_clinic(clinic).select_related("created_by").prefetch_related("tests")
    ),
    build=lambda row, links: ar.assessment_observations(row),
    updated=F("created_at"),
    id_prefixes=ar.ID_PREFIXES,
)


def by_outcome_code(rows: QuerySet, value: str, clinic: Clinic) -> QuerySet:
    """The measures whose instrument is one of `[system|]code`, ... (`nprs`, `psfs`,
    `groc` in Centra's observation CodeSystem)."""
    instruments = []
    for part in value.split(","):
        system, sep, code = part.rpartition("|")
        if not code:
            raise SearchError("code needs a value: code=[system|]code.")
        if (not sep or not system or system == OBSERVATION_CODES.url) and code in Instrument.values:
            instruments.append(code)
    return rows.filter(instrument__in=instruments)


OUTCOME_OBSERVATIONS = Search(
    "Observation",
    rows=lambda clinic: OutcomeMeasure.objects.for_clinic(clinic),
    build=lambda row, links: [outcomes.outcome_observation(row)],
    updated=F("created_at"),
    filters={"patient": by_patient("patient"), "code": by_outcome_code},
    docs=PATIENT_DOC,
    id_prefixes=(outcomes.OUTCOME_PREFIX,),
)
RED_FLAG_RESPONSES = Search(
    "QuestionnaireResponse",
    rows=lambda clinic: RedFlagCheck.objects.for_clinic(clinic),
    build=lambda row, links: [outcomes.red_flag_check_response(row)],
    updated=F("created_at"),
    filters={"patient": by_patient("patient")},
    docs=PATIENT_DOC,
    id_prefixes=(outcomes.RED_FLAG_CHECK_PREFIX,),
)
# What a search of these types returns, in this order: the main search's resources,
# then the others'.
SOURCES: dict[str, list[Search]] = {
    "Observation": [SEARCHES["Observation"], OUTCOME_OBSERVATIONS],
    "QuestionnaireResponse": [SEARCHES["QuestionnaireResponse"], RED_FLAG_RESPONSES],
}
# Searches whose resources share a type with the main one, told apart by id prefix.
OTHER_SOURCES: dict[str, list[Search]] = {
    "Observation": [ASSESSMENT_OBSERVATIONS, OUTCOME_OBSERVATIONS],
    "QuestionnaireResponse": [RED_FLAG_RESPONSES],
}


def for_resource(search: Search, resource_id: str) -> Search:
    """The search that reads `resource_id` of the type `search` serves."""
    for other in OTHER_SOURCES.get(search.resource_type, []):
        if resource_id.startswith(other.id_prefixes):
            return other
    return search


@dataclass
class Page:
    resources: list[dict[str, Any]]
    total: int
    next_cursor: str | None
    snapshot: datetime | None = None


def annotated(search: Search, clinic: Clinic) -> QuerySet:
    rows = search.rows(clinic)
    if search.updated is not None:
        rows = rows.annotate(fhir_updated=search.updated).order_by("fhir_updated", "pk")
    else:
        rows = rows.order_by("pk")
    return rows


def read(
    search: Search, clinic: Clinic, resource_id: str, links: Links
) -> tuple[dict[str, Any] | None, Any]:
    """One resource by id and the row it came from; (None, None) if it does not
    exist in this clinic."""
    if search.static is not None:
        found = next((res for res in search.static() if res["id"] == resource_id), None)
        return found, None
    pk = search.row_pk(resource_id)
    row = annotated(search, clinic).filter(pk=pk).first() if pk is not None else None
    if row is None:
        return None, None
    found = next((res for res in search.build(row, links) if res["id"] == resource_id), None)
    return found, row


def run(search: Search, clinic: Clinic, params: dict[str, list[str]], links: Links) -> Page:
    """One page of a search: the type's sources one after the other, each in its own
    order, the total over all of them."""
    count = count_param((params.get("_count") or [None])[-1])
    cursor = decode_cursor(params["_cursor"][-1]) if params.get("_cursor") else None
    # A commit-safe instant, not the clock: a row stamped before it but committed
    # after it would be missed by the next run's `_lastUpdated=gt` (docs/sync.md).
    snapshot = (cursor.snapshot if cursor else None) or safe_instant()
    if search.static is not None:
        found = search.static()
        for value in params.get("_id", []):
            found = [res for res in found if res["id"] in value.split(",")]
        skip = cursor.skip if cursor else 0
        more = skip + count < len(found)
        next_cursor = encode_cursor(Cursor(None, 0, skip + count, snapshot)) if more else None
        return Page(found[skip : skip + count], len(found), next_cursor, snapshot)

    sources = (
        SOURCES.get(search.resource_type, [search])
        if search is SEARCHES.get(search.resource_type)
        else [search]
    )
    start = cursor.source if cursor else 0
    if start >= len(sources):
        raise SearchError("_cursor is not a cursor this server gave out.")
    total = 0
    page: list[dict[str, Any]] = []
    next_cursor = None
    for index, source in enumerate(sources):
        rows = _matching(source, clinic, params, links, snapshot)
        source, rows, source_total = rows
        total += source_total
        if index < start or next_cursor is not None:
            continue
        if len(page) == count:
            if source_total:
                next_cursor = encode_cursor(Cursor(None, 0, 0, snapshot, index))
            continue
        here = cursor if cursor is not None and index == start and cursor.pk else None
        found, last = _page_of(source, rows, links, here, count - len(page))
        page += found
        if last is not None:
            updated, pk, skip = last
            next_cursor = encode_cursor(Cursor(updated, pk, skip, snapshot, index))
    return Page(page, total, next_cursor, snapshot)


def _matching(
    search: Search, clinic: Clinic, params: dict[str, list[str]], links: Links, snapshot: datetime
) -> tuple[Search, QuerySet, int]:
    """The search narrowed by the parameters, its rows up to the snapshot, and how many
    resources they make."""
    for name, values in params.items():
        if name in search.narrowers:
            for value in values:
                search = search.narrowers[name](search, value)
    for value in params.get("_id", []):
        search = by_resource_id(search, value)
    rows = annotated(search, clinic)
    for name, values in params.items():
        if name in search.filters:
            for value in values:
                rows = search.filters[name](rows, value, clinic)
        elif name == "_lastUpdated":
            for value in values:
                rows = rows.filter(last_updated_bounds(value))
        elif name == "_id":
            for value in values:
                pks = [search.row_pk(part) for part in value.split(",")]
                rows = rows.filter(pk__in=[pk for pk in pks if pk is not None])
    if search.updated is not None:
        # The run's snapshot: what changes after the first page (or was stamped
        # later by a clock ahead of ours) waits for the next run, `gt` the snapshot.
        rows = rows.filter(fhir_updated__lte=snapshot)
    if params.get("_id"):
        # At most one row per id asked for: count what those rows really make.
        total = sum(len(search.build(row, links)) for row in rows)
    else:
        total = rows.count() * search.resources_per_row
    return search, rows, total


def _page_of(
    search: Search, rows: QuerySet, links: Links, cursor: Cursor | None, count: int
) -> tuple[list[dict[str, Any]], tuple[datetime | None, int, int] | None]:
    """Up to `count` resources from the cursor on, and where the next page starts in
    these rows (None when they are used up)."""
    skip = 0
    if cursor is not None:
        skip = cursor.skip
        if search.updated is not None:
            if cursor.updated is None:
                raise SearchError("_cursor is not a cursor this server gave out.")
            rows = rows.filter(
                Q(fhir_updated__gt=cursor.updated)
                | Q(fhir_updated=cursor.updated, pk__gte=cursor.pk)
            )
        else:
            rows = rows.filter(pk__gte=cursor.pk)
    page: list[dict[str, Any]] = []
    for row in rows[: count + 1]:
        built = search.build(row, links)
        start = skip if cursor is not None and row.pk == cursor.pk else 0
        for index in range(start, len(built)):
            if len(page) == count:
                return page, (getattr(row, "fhir_updated", None), row.pk, index)
            page.append(built[index])
    return page, None


def everything(patient: Patient, links: Links) -> Iterable[tuple[dict[str, Any], str]]:
    """All of one patient's resources and the definitions they point to, as
    (resource, search mode) pairs, in a fixed number of queries."""
    prescriptions = list(
        Prescription.objects.filter(patient=patient)
        .select_related("prescribed_by", "progression__clinic")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=PrescriptionItem.objects.select_related("exercise__clinic").order_by(
                    "position"
                ),
            ),
            Prefetch(
                "progression__steps",
                queryset=ProgressionStep.objects.select_related("exercise").order_by("position"),
            ),
        )
        .order_by("version")
    )
    logs = list(
        SymptomLog.objects.filter(patient=patient)
        .select_related("session")
        .order_by("logged_at", "pk")
    )
    alerts = list(Alert.objects.filter(patient=patient).order_by("created_at", "pk"))

    yield r.patient_resource(patient), "match"
    if patient.classification:
        yield r.condition_resource(patient), "match"
    exercises: dict[int, Exercise] = {}
    progressions: dict[int, Progression] = {}
    for prescription in prescriptions:
        prescription.patient = patient
        yield r.care_plan_resource(prescription), "match"
        items = list(prescription.items.all())
        for item in items:
            item.prescription = prescription
            exercises[item.exercise_id] = item.exercise
            yield r.service_request_resource(item), "match"
        if items:
            yield r.document_reference_resource(prescription, links.site_root), "match"
        if prescription.progression is not None:
            progressions[prescription.progression_id] = prescription.progression
    for log in logs:
        yield r.questionnaire_response_resource(log), "match"
        yield from ((obs, "match") for obs in r.observation_resources(log))
    assessments = (
        Assessment.objects.filter(patient=patient)
        .select_related("created_by")
        .prefetch_related(Prefetch("tests", MovementTest.objects.order_by("pk")))
        .order_by("assessed_on", "pk")
    )
    for assessment in assessments:
        yield from ((obs, "match") for obs in ar.assessment_observations(assessment))
    for measure in OutcomeMeasure.objects.filter(patient=patient).order_by("taken_at", "pk"):
        yield outcomes.outcome_observation(measure), "match"
    checks = list(RedFlagCheck.objects.filter(patient=patient).order_by("checked_on", "pk"))
    for check in checks:
        yield outcomes.red_flag_check_response(check), "match"
    for alert in alerts:
        yield r.flag_resource(alert), "match"
    for exercise in exercises.values():
        yield r.activity_definition_resource(exercise, links.site_root), "include"
    for progression in progressions.values():
        yield r.plan_definition_resource(progression), "include"
    if logs:
        yield r.questionnaire_resource(), "include"
    if checks:
        yield outcomes.red_flag_questionnaire(), "include"
