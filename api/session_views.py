"""The sessions endpoint: a whole exercise session in one request, with the symptoms
before and after it (see docs/api.md, "Sessions")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Prefetch
from django.db.models.query import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from clinics.models import AuditEvent
from prescriptions.models import ExerciseSession, SymptomLog
from prescriptions.sessions import ExerciseAnswer, SessionOutcome, Symptoms, record_session

from .errors import PROBLEM_CONTENT_TYPE, Conflict, ProblemSerializer
from .pagination import SinceSyncPagination
from .replays import ClientIdReused
from .serializers.sessions import (
    SessionFilter,
    SessionInputSerializer,
    SessionOutcomeSerializer,
    SessionSerializer,
)
from .views import ClinicViewSet


def _symptoms(data: dict[str, Any] | None) -> Symptoms | None:
    if data is None:
        return None
    return Symptoms(data["back_pain"], data["leg_pain"], data["location"])


def _nested(errors: dict[str, list[str]]) -> dict[str, Any]:
    """The service's dotted field names (`after.location`, `exercises.1.during`) as the
    nested errors DRF gives for the same body."""
    nested: dict[str, Any] = {}
    for name, messages in errors.items():
        parts = name.split(".")
        where = nested
        for part in parts[:-1]:
            where = where.setdefault(part, {})
        where[parts[-1]] = messages
    return nested


def _same_session(outcome: SessionOutcome, data: dict[str, Any]) -> bool:
    """Whether a retried request is the stored session again (the answers that decide
    what the rules made of it)."""
    session = outcome.session
    before = data.get("before")
    sent = (
        _symptoms(before),
        _symptoms(data["after"]),
        sorted((a["item"].pk, a["during"], a["after"]) for a in data["exercises"] if a["done"]),
        sorted(dict.fromkeys(data["new_symptoms"])),
    )
    stored = (
        Symptoms(session.before_back_pain, session.before_leg_pain, session.before_location)
        if session.before_location
        else None,
        Symptoms(session.after_back_pain, session.after_leg_pain, session.after_location),
        sorted((o.log.item_id, o.log.during, o.log.after) for o in outcome.logs),
        sorted(session.new_symptoms),
    )
    return sent == stored


class SessionViewSet(ClinicViewSet):
    """Exercise sessions: the symptoms before and after, and a log per exercise done."""

    queryset = ExerciseSession.objects.all()
    serializer_class = SessionSerializer
    filter_class = SessionFilter
    pagination_class = SinceSyncPagination
    audit_type = "exercisesession"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "logs", SymptomLog.objects.select_related("item__exercise").order_by("id")
                ),
                "skipped",
            )
        )

    @extend_schema(
        summary="Record a session",
        description=(
            "Stores a whole session: the symptoms before and after it (back pain, leg pain, "
            "where the pain reaches), and for each exercise whether it was done and, if so, "
            "the response during and after it. Each exercise done becomes a symptom log judged "
            "by the same safety rules as the portal, comparing like with like: back with back, "
            "leg with leg, after with before. A session in which leg pain gives way to back "
            "pain is centralizing, never a pain rise. Contradicting answers (pain with "
            '"none", leg pain with pain only in the low back) answer 400.'
        ),
        request=SessionInputSerializer,
        responses={
            201: SessionOutcomeSerializer,
            200: OpenApiResponse(
                SessionOutcomeSerializer,
                description="A session with this `client_id` was already stored: the first one.",
            ),
            (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer,
                description=(
                    "A simultaneous write got in the way (resend it); or the `client_id` was "
                    "already used with different answers."
                ),
            ),
        },
    )
    def create(self, request: Request) -> Response:
        data = dict(self.validated(SessionInputSerializer))
        by_key = self.acting_user is None
        try:
            outcome = record_session(
                patient=data["patient"],
                exercises=[ExerciseAnswer(**answer) for answer in data["exercises"]],
                before=_symptoms(data.get("before")),
                after=_symptoms(data["after"]),
                new_symptoms=data["new_symptoms"],
                logged_at=data.get("logged_at"),
                source=SymptomLog.Source.API if by_key else SymptomLog.Source.THERAPIST,
                entered_by=self.acting_user,
                client_id=data.get("client_id"),
            )
        except ValidationError as error:
            raise serializers.ValidationError(_nested(error.message_dict)) from error
        except IntegrityError as exc:
            raise Conflict(
                _("Another write of this patient was stored at the same moment; send it again.")
            ) from exc
        if not outcome.created and not _same_session(outcome, data):
            raise ClientIdReused()
        if outcome.created:
            self.audit(
                AuditEvent.Action.CREATE,
                outcome.session,
                logs=[o.log.pk for o in outcome.logs],
                alerts=[a.pk for a in outcome.alerts],
            )
        return Response(
            SessionOutcomeSerializer(outcome, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK,
        )
