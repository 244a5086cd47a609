"""The outcome measures endpoint: list and create, like symptom logs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from clinics.models import AuditEvent
from prescriptions.models import OutcomeMeasure
from prescriptions.outcomes import record_outcome_measure

from .errors import PROBLEM_CONTENT_TYPE, ProblemSerializer
from .pagination import SyncPagination
from .replays import check_measure_replay
from .serializers.outcomes import (
    OutcomeMeasureFilter,
    OutcomeMeasureInputSerializer,
    OutcomeMeasureSerializer,
)
from .views import ClinicViewSet


class OutcomeMeasureViewSet(ClinicViewSet):
    """Standard outcome measures of an episode of care (docs/clinical/outcome-measures.md)."""

    queryset = OutcomeMeasure.objects.all()
    serializer_class = OutcomeMeasureSerializer
    filter_class = OutcomeMeasureFilter
    audit_type = "outcomemeasure"
    pagination_class = SyncPagination

    @extend_schema(
        summary="Record an outcome measure",
        description=(
            "One instrument per request: `nprs` needs `pain_now`, `pain_best` and "
            "`pain_worst`; `psfs` needs 3 to 5 `activities`; `groc` needs `change`. The "
            "score is worked out by Centra. Stored in the patient's open episode of care."
        ),
        request=OutcomeMeasureInputSerializer,
        responses={
            201: OutcomeMeasureSerializer,
            200: OpenApiResponse(
                OutcomeMeasureSerializer,
                description="A measure with this `client_id` was already stored: the first one.",
            ),
            (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer,
                description="This `client_id` was already used with different values.",
            ),
        },
    )
    def create(self, request: Request) -> Response:
        data = dict(self.validated(OutcomeMeasureInputSerializer))
        by_key = self.acting_user is None
        instrument, taken_at = data.pop("instrument"), data.pop("taken_at", None)
        try:
            measure, created = record_outcome_measure(
                patient=data.pop("patient"),
                instrument=instrument,
                taken_at=taken_at,
                client_id=data.pop("client_id", None),
                answers=data,
                source=OutcomeMeasure.Source.API if by_key else OutcomeMeasure.Source.THERAPIST,
                by=self.acting_user,
            )
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        if not created:
            check_measure_replay(measure, instrument=instrument, taken_at=taken_at, answers=data)
        if created:
            self.audit(AuditEvent.Action.CREATE, measure)
        return Response(
            self.get_serializer(measure).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
