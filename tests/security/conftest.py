"""A clinic with every kind of record, and a walk over every URL pattern."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver

from exercises.models import Progression
from prescriptions.models import SymptomLog
from prescriptions.services import record_symptom_log
from tests.factories import make_exercise_for


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
    return {
        "patient": patient,
        "prescription": prescription,
        "item": item,
        "log": outcome.log,
        "alert": outcome.alerts[0],
        "exercise": make_exercise_for(clinic),
        "progression": Progression.objects.builtin().first(),
        "key": key,
    }
