"""`Patient/{id}/$everything`: its parameters (`_since`, `_type`, `_count`) and its
pages.

The resources are built in the same few queries whatever the page, then put in a
fixed order: by resource type (the patient first, the definitions last), then by
row id. A `next` link carries the key of the last resource returned, so a run never
returns one twice and never skips one that existed when it began, even when records
change or are added while the client pages; a record changed after the run's first
page is read again by the next run, from `_since` the moment of that page (the
Bundle's `meta.lastUpdated`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from changelog.models import safe_instant
from messaging.models import Message
from patients.models import Patient

from . import search as s
from .communications import communication_resource

# Resource types in the order $everything returns them.
TYPE_ORDER = [
    "Patient",
    "Condition",
    "CarePlan",
    "ServiceRequest",
    "DocumentReference",
    "QuestionnaireResponse",
    "Observation",
    "Flag",
    "Communication",
    "ActivityDefinition",
    "PlanDefinition",
    "Questionnaire",
]
PARAMS = {"_since", "_type", "_count", "_cursor", "_format", "_pretty"}

Key = tuple[int, int, str]


@dataclass
class EverythingPage:
    entries: list[tuple[dict[str, Any], str]]
    total: int
    next_cursor: str | None
    snapshot: datetime


def sort_key(resource: dict[str, Any]) -> Key:
    """(type rank, row id, resource id): `pain-12` and `location-12` come from row 12."""
    resource_id = resource["id"]
    tail = resource_id.rsplit("-", 1)[-1]
    row = int(tail) if tail.isascii() and tail.isdigit() else 0
    resource_type = resource["resourceType"]
    # A type added to $everything but not to TYPE_ORDER yet comes last, not as a 500.
    rank = TYPE_ORDER.index(resource_type) if resource_type in TYPE_ORDER else len(TYPE_ORDER)
    return rank, row, resource_id


def _since(values: list[str]) -> datetime:
    value = values[-1].replace(" ", "+")  # an unencoded "+" of an offset
    try:
        moment = parse_datetime(value)
        if moment is None or moment.tzinfo is None:
            raise ValueError("not an instant")
        return moment.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise s.SearchError(
            "_since must be an instant with a time zone, e.g. 2026-01-31T08:00:00Z."
        ) from exc


def _types(values: list[str]) -> set[str]:
    wanted = {part.strip() for value in values for part in value.split(",")}
    unknown = sorted(wanted - set(TYPE_ORDER))
    if unknown:
        raise s.SearchError(
            f"_type: $everything holds none of {', '.join(unknown)}; "
            f"it holds {', '.join(TYPE_ORDER)}."
        )
    return wanted


def _decode(token: str) -> tuple[Key, datetime]:
    try:
        rank, row, resource_id, snapshot = s.decode_token(token)
        if not (
            isinstance(rank, int)
            and isinstance(row, int)
            and isinstance(resource_id, str)
            and 0 <= rank <= len(TYPE_ORDER)
            and 0 <= row <= s.MAX_ROW_ID
        ):
            raise ValueError
        moment = s.instant_or_none(snapshot)
        if moment is None:
            raise ValueError
    except (ValueError, TypeError) as exc:
        raise s.SearchError("_cursor is not a cursor this server gave out.") from exc
    return (rank, row, resource_id), moment


def _everything(patient: Patient, links: s.Links) -> Iterator[tuple[dict[str, Any], str]]:
    """The core's resources, then the patient's secure messages."""
    yield from s.everything(patient, links)
    for message in Message.objects.filter(patient=patient).order_by("pk"):
        message.patient = patient
        yield communication_resource(message), "match"


def page(patient: Patient, params: dict[str, list[str]], links: s.Links) -> EverythingPage:
    """One page of the patient's $everything; SearchError for a parameter it cannot honour."""
    unknown = sorted(set(params) - PARAMS)
    if unknown:
        raise s.SearchError(
            f"$everything takes _since, _type and _count, not {', '.join(unknown)}."
        )
    count = s.count_param((params.get("_count") or [None])[-1])
    since = _since(params["_since"]) if params.get("_since") else None
    types = _types(params["_type"]) if params.get("_type") else None
    after, snapshot = (
        _decode(params["_cursor"][-1]) if params.get("_cursor") else (None, safe_instant())
    )

    chosen = []
    for resource, mode in _everything(patient, links):
        if types is not None and resource["resourceType"] not in types:
            continue
        if since is not None and datetime.fromisoformat(resource["meta"]["lastUpdated"]) <= since:
            continue
        chosen.append((sort_key(resource), resource, mode))
    chosen.sort(key=lambda found: found[0])
    total = sum(1 for _key, _resource, mode in chosen if mode == "match")
    remaining = [found for found in chosen if after is None or found[0] > after]
    shown = remaining[:count]
    next_cursor = None
    if len(remaining) > count:
        rank, row, resource_id = shown[-1][0]
        next_cursor = s.encode_token([rank, row, resource_id, snapshot.isoformat()])
    return EverythingPage(
        [(resource, mode) for _key, resource, mode in shown], total, next_cursor, snapshot
    )
