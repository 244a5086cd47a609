"""Assessments: the therapist's MDT assessment, its movement tests and the program it
proposes, read and recorded by clinic systems."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from assessments.models import (
    AfterResponse,
    Assessment,
    DuringResponse,
    Factor,
    MovementTest,
    MovementTestKind,
    RangeEffect,
)
from assessments.program import findings_of
from assessments.proposal import propose
from assessments.services import FIELDS
from patients.models import Patient, RiskFactor

from .common import MAX_ID, clinic_of
from .filters import QueryFilter


class MovementTestSerializer(serializers.ModelSerializer):
    movement = serializers.ChoiceField(choices=MovementTestKind.choices)
    during = serializers.ChoiceField(choices=DuringResponse.choices, required=False, default="")
    after = serializers.ChoiceField(choices=AfterResponse.choices, required=False, default="")
    range_effect = serializers.ChoiceField(choices=RangeEffect.choices, required=False, default="")

    class Meta:
        model = MovementTest
        fields = ["movement", "during", "after", "range_effect"]


class ProposalSerializer(serializers.Serializer):
    progression = serializers.CharField(
        help_text="Slug of the proposed progression; empty when exercises or nothing are."
    )
    first = serializers.IntegerField(
        allow_null=True, help_text="How many of its first steps; null: all."
    )
    exercises = serializers.ListField(
        child=serializers.CharField(), help_text="Slugs of the proposed exercises, if any."
    )
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="The findings behind it, in words."
    )
    reassess = serializers.BooleanField(help_text="True: nothing is proposed; reassess.")


class AssessmentSerializer(serializers.ModelSerializer):
    tests = MovementTestSerializer(many=True, read_only=True)
    proposal = serializers.SerializerMethodField(
        help_text="What the assessment proposes; the therapist decides."
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "patient",
            *FIELDS,
            "tests",
            "proposal",
            "client_id",
            "created_at",
        ]
        # Only these: a read-only choice field loses its blank choice in the schema.
        read_only_fields = ["id", "patient", "client_id", "created_at"]

    def get_proposal(self, assessment: Assessment) -> dict[str, Any]:
        proposal = propose(findings_of(assessment))
        return ProposalSerializer(
            {
                "progression": proposal.progression,
                "first": proposal.first,
                "exercises": list(proposal.exercises),
                "reasons": [str(reason) for reason in proposal.reasons],
                "reassess": proposal.reassess,
            }
        ).data


class AssessmentInputSerializer(serializers.ModelSerializer):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    worse_with = serializers.ListField(
        child=serializers.ChoiceField(choices=Factor.choices), required=False, default=list
    )
    better_with = serializers.ListField(
        child=serializers.ChoiceField(choices=Factor.choices), required=False, default=list
    )
    tests = MovementTestSerializer(many=True, required=False, default=list)
    risk_factors = serializers.ListField(
        child=serializers.ChoiceField(choices=RiskFactor.choices),
        required=False,
        help_text="Replaces the patient's risk history; left out: unchanged.",
    )
    client_id = serializers.UUIDField(
        required=False,
        help_text=(
            "Made once per assessment by the client; a retry with the same body returns the "
            "first one, the same id with another body is a 409."
        ),
    )

    class Meta:
        model = Assessment
        fields = [
            "patient",
            *FIELDS,
            "tests",
            "risk_factors",
            "client_id",
        ]
        # A repeated client_id is the service's to answer (the first one, or a 409).
        validators: list = []

    def validate_patient(self, value: int) -> Patient:
        patient = Patient.objects.for_clinic(clinic_of(self)).filter(pk=value).first()
        if patient is None:
            raise serializers.ValidationError(_("No patient of your clinic has this id."))
        return patient


class AssessmentFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    lookups = {"patient": "patient_id"}
