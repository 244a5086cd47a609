"""The assessments endpoint: list, read and record, with `client_id` retries."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.db.models.query import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from assessments.models import Assessment, MovementTest
from assessments.services import ClientIdReused, record_assessment
from clinics.models import AuditEvent

from .errors import PROBLEM_CONTENT_TYPE, Conflict, ProblemSerializer
from .serializers.assessments import (
    AssessmentFilter,
    AssessmentInputSerializer,
    AssessmentSerializer,
)
from .views import ClinicViewSet


class AssessmentViewSet(ClinicViewSet):
    """The therapist's MDT assessments and reassessments (see docs/assessment.md)."""

    queryset = Assessment.objects.all()
    serializer_class = AssessmentSerializer
    filter_class = AssessmentFilter
    audit_type = "assessment"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("tests", MovementTest.objects.order_by("id")))
        )

    @extend_schema(
        summary="Record an assessment",
        description=(
            "Stores the assessment with its movement tests and, in the same transaction, "
            "sets the patient's baseline: `location` becomes the reference the first logs "
            "are judged against (a log further out is peripheralization), with the "
            "classification, the directional preference and the painful side; "
            "`risk_factors`, if given, replaces the patient's risk history. The answer "
            "includes the program the assessment proposes."
        ),
        request=AssessmentInputSerializer,
        responses={
            201: AssessmentSerializer,
            200: OpenApiResponse(
                AssessmentSerializer,
                description="An assessment with this `client_id` and body was already "
                "stored: the first one.",
            ),
            (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer,
                description="This `client_id` was already used with a different body.",
            ),
        },
    )
    def create(self, request: Request) -> Response:
        data = dict(self.validated(AssessmentInputSerializer))
        patient = data.pop("patient")
        try:
            assessment, created = record_assessment(
                patient=patient,
                by=self.acting_user,
                tests=data.pop("tests", []),
                risk_factors=data.pop("risk_factors", None),
                client_id=data.pop("client_id", None),
                data=data,
            )
        except ClientIdReused as exc:
            raise Conflict(
                "This client_id was already used for an assessment with a different body. "
                "Use a new client_id for a new assessment."
            ) from exc
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        if created:
            self.audit(AuditEvent.Action.CREATE, assessment)
        assessment = self.get_queryset().get(pk=assessment.pk)
        return Response(
            self.get_serializer(assessment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
