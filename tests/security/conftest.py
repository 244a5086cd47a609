"""A clinic with every kind of record, and a walk over every URL pattern."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from exercises.models import Progression
from fhir_r4.clients import register_client
from integrations.models import Delivery, Endpoint, Event, EventType
from messaging.services import send_as_patient
from prescriptions.models import SymptomLog
from prescriptions.outcomes import end_episode, record_outcome_measure
from prescriptions.services import record_red_flag_check, record_symptom_log
from tests.assessment_factory import make_assessment
from tests.factories import make_authenticator, make_exercise_for, make_patient, make_user
from tests.fhir.smart import new_key, public_jwks
from tests.suggestion_factory import make_ready_to_progress


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle and lockout counts live in the cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


@dataclass
class Route:
    path: str  # the pattern as written, e.g. "patients/<int:pk>/"
    name: str
    params: list[str]


def all_routes() -> Iterator[Route]:
    """Every URL pattern of the project, from the resolver: a new URL is swept without
    anyone adding it to a list."""

    def walk(patterns: list[Any], prefix: str, namespace: str, params: list[str]):
        for entry in patterns:
            pattern = entry.pattern
            names = list(pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix + str(pattern), inner, params + names)
            elif isinstance(entry, URLPattern):
                yield Route(
                    path=prefix + str(pattern),
                    name=f"{namespace}{entry.name or ''}",
                    params=params + names,
                )

    yield from walk(get_resolver().url_patterns, "", "", [])


@pytest.fixture
def records(clinic, therapist, patient, prescription):
    """One of everything in the therapist's clinic, for filling URL parameters."""
    from api.models import create_api_key

    item = prescription.items.order_by("position").first()
    outcome = record_symptom_log(
        patient=patient,
        item=item,
        pain=6,
        location="thigh",
        during="peripheralize",
        after="worse",
        sets_done=1,
        repetitions_done=8,
        source=SymptomLog.Source.PORTAL,
    )
    key, _secret = create_api_key(clinic=clinic, name="Sweep", created_by=therapist)
    check, _alert = record_red_flag_check(patient=patient, answered_yes=[])
    # A second patient of the clinic, ready to progress, measured and discharged.
    discharged = make_patient(clinic, login="sweep-discharged")
    suggestion = make_ready_to_progress(discharged, therapist)
    measure, _created = record_outcome_measure(
        patient=discharged,
        instrument="nprs",
        answers={"pain_now": 3, "pain_best": 1, "pain_worst": 5},
        source="therapist",
        by=therapist,
    )
    episode = end_episode(patient=discharged, by=therapist)
    endpoint = Endpoint.objects.create(
        clinic=clinic, url="https://ehr.example.test/hooks", events=list(EventType.values)
    )
    event = Event.objects.create(
        clinic=clinic,
        patient_id=patient.pk,
        type=EventType.values[0],
        occurred_at=timezone.now(),
        payload={},
    )
    delivery = Delivery.objects.create(
        event=event, endpoint=endpoint, patient_id=patient.pk, next_attempt_at=timezone.now()
    )
    message = send_as_patient(patient=patient, body="Is this ache normal?")
    return {
        "patient": patient,
        "prescription": prescription,
        "item": item,
        "log": outcome.log,
        "alert": outcome.alerts[0],
        "exercise": make_exercise_for(clinic),
        "progression": Progression.objects.builtin().first(),
        "key": key,
        "red_flag_check": check,
        "suggestion": suggestion,
        "outcome_measure": measure,
        "episode": episode,
        "assessment": make_assessment(patient, therapist),
        # Somebody's authenticator app, for the admin's device pages.
        "device": make_authenticator(make_user("sweep-device-owner")),
        "clinic": clinic,
        "session": outcome.log.session,
        "webhook": endpoint,
        "delivery": delivery,
        "thread": message.thread,
        "message": message,
        "smart_client": register_client(
            clinic=clinic,
            name="Sweep",
            scopes=["system/*.read"],
            jwks=public_jwks(new_key()),
        ),
    }


# The first path segment tells which record a bare `pk` names.
RECORD_BY_SEGMENT = {
    "patients": "patient",
    "programs": "prescription",
    "prescriptions": "prescription",
    "alerts": "alert",
    "exercises": "exercise",
    "progressions": "progression",
    "symptom-logs": "log",
    "red-flag-checks": "red_flag_check",
    "suggestions": "suggestion",
    "outcome-measures": "outcome_measure",
    "assessments": "assessment",
    "episodes": "episode",
    "program-items": "item",
    "sessions": "session",
    "webhooks": "webhook",
    "message-threads": "thread",
    "messages": "message",
}

# URL parameters that name a record, and how to fill them from `records`.
OBJECT_PARAMS = {
    "pk": "by the path segment (RECORD_BY_SEGMENT)",
    "patient_pk": "patient",
    "item_id": "item",
    "log_id": "log",
    "delivery_pk": "delivery",  # a webhook delivery of the endpoint's <pk>
    "prefix": "key",
    "client_id": "smart_client",  # a SMART backend client, by its client id
    "group_id": "clinic",  # FHIR's Group/<clinic slug>/$export: the clinic is the group
    "resource_id": "patient",  # FHIR, read as a Patient
    "object_id": "by the admin's model",
    "id": "by the admin's model",
    "content_type_id": "the admin's model",
}

# URL parameters that name no record, with the reason a route taking only these is
# not an object URL.
NOT_OBJECT_PARAMS = {
    "uidb64": "password reset link: the token is the secret, any visitor may open it",
    "token": "invitation or reset link: the token is the secret, any visitor may open it",
    "format": "REST framework's format suffix",
    "app_label": "the admin's app index, no record",
    "url": "the admin's catch-all, answers 404 or the admin sign-in",
    "path": "exercise pictures under MEDIA_URL: catalog art, no patient data",
    "resource_type": "a FHIR resource type name",
    "rest": "the FHIR catch-all, answers an OperationOutcome",
    "name": (
        "a file of the FHIR bulk export its <token> names; served only to the credential "
        "that asked (tests/fhir/test_bulk_export.py)"
    ),
    "audience": "which copy of a discharge summary (patient or doctor), of the episode's <pk>",
}


class Unclassified(Exception):
    """A URL parameter the sweep cannot map to a record: say what it names."""


def is_object_route(route: Route) -> bool:
    for name in route.params:
        if name not in OBJECT_PARAMS and name not in NOT_OBJECT_PARAMS:
            raise Unclassified(
                f"{route.path} ({route.name}): the parameter <{name}> is unknown to the "
                "IDOR sweep; add it to OBJECT_PARAMS (and say which record fills it) or to "
                "NOT_OBJECT_PARAMS with the reason it names no record."
            )
    return any(name in OBJECT_PARAMS for name in route.params)


def _admin_row(route: Route, records: dict[str, Any]) -> models.Model | None:
    """The record an admin URL names: the first stored row of its model; the patient
    for "view on site", which names a model by its content type."""
    if route.name == "admin:view_on_site":
        return records["patient"]
    match = re.search(r"admin/(\w+)/(\w+)/", route.path)
    if match is None:
        raise Unclassified(f"{route.path} ({route.name}): no app and model in the admin URL.")
    model = apps.get_model(match[1], match[2])
    return model._default_manager.order_by("pk").first()


def object_url(route: Route, records: dict[str, Any]) -> str:
    """The route with every parameter filled by an id of one of `records`; raises
    Unclassified when it cannot tell which record a parameter names."""
    # A regex route ends in `$`; FHIR's `$everything` is literal.
    path = re.sub(r"\$$", "", route.path.replace("^", "")).replace("\\", "")
    values: dict[str, str] = {"format": "json", "resource_type": "Patient", "audience": "patient"}
    for name in route.params:
        if name in ("object_id", "id", "content_type_id"):
            row = _admin_row(route, records)
            if name == "content_type_id":
                values[name] = str(ContentType.objects.get_for_model(type(row)).pk)
            else:
                values[name] = str(row.pk) if row is not None else "1"
        elif name == "pk" and path.startswith("admin/"):
            row = _admin_row(route, records)
            values[name] = str(row.pk) if row is not None else "1"
        elif name == "pk":
            segments = [s for s in path.split("/") if s and not s.startswith(("<", "("))]
            segment = next((s for s in segments if s in RECORD_BY_SEGMENT), None)
            if segment is None:
                raise Unclassified(
                    f"{route.path} ({route.name}): cannot tell which record <pk> names; add "
                    "its path segment to RECORD_BY_SEGMENT."
                )
            values[name] = str(records[RECORD_BY_SEGMENT[segment]].pk)
        elif name in OBJECT_PARAMS:
            record = records[OBJECT_PARAMS[name]]
            values[name] = {
                "prefix": getattr(record, "prefix", ""),
                "client_id": getattr(record, "client_id", ""),
                "group_id": getattr(record, "slug", ""),
            }.get(name) or str(record.pk)
        else:
            values.setdefault(name, "x")
    for name, value in values.items():
        path = re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", value, path)
    return "/" + path
