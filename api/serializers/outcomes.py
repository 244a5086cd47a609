"""Outcome measures: the pain rating (NPRS), the functional scale (PSFS) and the
global rating of change (GROC), scored by the core exactly as in the portal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from patients.models import Patient
from prescriptions.models import OutcomeMeasure
from prescriptions.outcome_models import (
    ACTIVITY_MAX_LENGTH,
    PSFS_MAX_ACTIVITIES,
    Instrument,
    clean_answers,
)

from .common import MAX_ID, clinic_of
from .filters import SYNC_HELP, QueryFilter, SyncSinceField


class ActivitySerializer(serializers.Serializer):
    activity = serializers.CharField(
        max_length=ACTIVITY_MAX_LENGTH, help_text="In the patient's words."
    )
    score = serializers.IntegerField(
        min_value=0, max_value=10, help_text="0: cannot do it; 10: as well as before."
    )


class OutcomeMeasureSerializer(serializers.ModelSerializer):
    activities = ActivitySerializer(many=True, read_only=True)
    score = serializers.DecimalField(
        max_digits=3,
        decimal_places=1,
        read_only=True,
        help_text=(
            "NPRS: mean of the three ratings (lower is better). PSFS: mean of the activities "
            "(higher is better). GROC: the rating itself."
        ),
    )

    class Meta:
        model = OutcomeMeasure
        fields = [
            "id",
            "patient",
            "episode",
            "instrument",
            "occasion",
            "taken_at",
            "pain_now",
            "pain_best",
            "pain_worst",
            "activities",
            "change",
            "score",
            "source",
            "client_id",
            "created_at",
        ]
        read_only_fields = fields


class OutcomeMeasureInputSerializer(serializers.Serializer):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    taken_at = serializers.DateTimeField(required=False, help_text="Now if left out.")
    client_id = serializers.UUIDField(
        required=False,
        help_text="Made once per measure by the client; a retry with it stores nothing new.",
    )
    pain_now = serializers.IntegerField(
        required=False, min_value=0, max_value=10, help_text="NPRS."
    )
    pain_best = serializers.IntegerField(
        required=False, min_value=0, max_value=10, help_text="NPRS: least pain in 24 hours."
    )
    pain_worst = serializers.IntegerField(
        required=False, min_value=0, max_value=10, help_text="NPRS: worst pain in 24 hours."
    )
    activities = ActivitySerializer(
        many=True, required=False, max_length=PSFS_MAX_ACTIVITIES, help_text="PSFS: 3 to 5."
    )
    change = serializers.IntegerField(required=False, min_value=-7, max_value=7, help_text="GROC.")

    def validate_patient(self, value: int) -> Patient:
        patient = Patient.objects.for_clinic(clinic_of(self)).filter(pk=value).first()
        if patient is None:
            raise serializers.ValidationError(_("No patient of your clinic has this id."))
        return patient

    def validate_taken_at(self, value: datetime) -> datetime:
        if value > timezone.now():
            raise serializers.ValidationError(_("This is in the future."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            clean_answers(attrs["instrument"], attrs)
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return attrs


class OutcomeMeasureFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    since = SyncSinceField(
        help_text=SYNC_HELP + "the time Centra stored the measure (stored at or after it)."
    )
    lookups = {"patient": "patient_id", "instrument": "instrument", "since": "created_at__gte"}
    sync_resource = "outcome_measure"
