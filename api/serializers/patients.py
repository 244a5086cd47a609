"""Patients as clinic systems sync them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from patients.models import Patient, RiskFactor, waking_hours_problem
from prescriptions.adherence import patient_figures

from .adherence import AdherenceSummarySerializer
from .common import clinic_of


@extend_schema_field(
    {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "08:00"}
)
class ClockTimeField(serializers.TimeField):
    """A wall-clock time of day as HH:MM (the patient's waking hours)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)


class PatientSerializer(serializers.ModelSerializer):
    """Reads and writes a patient; `external_id` is the patient's id in the
    clinic's own system, unique within the clinic when given."""

    has_portal_login = serializers.SerializerMethodField()
    wake_start = ClockTimeField(
        required=False, help_text="Waking hours: sessions are spread from this time…"
    )
    wake_end = ClockTimeField(required=False, help_text="…to this one (bedtime).")
    adherence = serializers.SerializerMethodField(
        help_text="Sessions logged against prescribed; details at .../adherence/."
    )
    risk_factors = serializers.ListField(
        child=serializers.ChoiceField(choices=RiskFactor.choices),
        required=False,
        allow_empty=True,
        max_length=len(RiskFactor.values),
        help_text=(
            "Risk history the therapist recorded (never asked of the patient): any of these "
            'makes a "see a doctor today" red-flag answer an urgent alert. `[]` for none.'
        ),
    )

    class Meta:
        model = Patient
        fields = [
            "id",
            "external_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "preferred_language",
            "classification",
            "directional_preference",
            "starting_location",
            "painful_side",
            "risk_factors",
            "wake_start",
            "wake_end",
            "time_zone",
            "archived",
            "has_portal_login",
            "adherence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "has_portal_login", "adherence", "created_at", "updated_at"]
        extra_kwargs = {
            "time_zone": {
                "help_text": (
                    "The patient's own IANA time zone (e.g. America/Los_Angeles); empty: "
                    "the clinic's. Reminders, adherence days and the daily questions follow it."
                )
            },
            "archived": {
                "help_text": (
                    "Archiving ends the patient's portal access (their login is switched off "
                    "and unused invitations are voided), as in Centra; setting it back to "
                    "false restores the record, and a new invitation restores the portal."
                )
            },
            "email": {
                "help_text": (
                    "Where the portal invitation goes; a patient with a portal login also "
                    "signs in and resets their password with it, so a change applies there too."
                )
            },
        }

    @extend_schema_field(AdherenceSummarySerializer)
    def get_adherence(self, patient: Patient) -> dict[str, Any]:
        return AdherenceSummarySerializer(patient_figures(patient, full=False)).data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("wake_start", getattr(self.instance, "wake_start", None))
        end = attrs.get("wake_end", getattr(self.instance, "wake_end", None))
        problem = waking_hours_problem(start, end)
        if problem:
            raise serializers.ValidationError({"wake_end": [problem]})
        return attrs

    def validate_risk_factors(self, value: list[str]) -> list[str]:
        return [code for code in RiskFactor.values if code in set(value)]

    def get_has_portal_login(self, patient: Patient) -> bool:
        return patient.user_id is not None

    def validate_date_of_birth(self, value: date | None) -> date | None:
        if value is not None and not date(1900, 1, 1) <= value <= timezone.localdate():
            raise serializers.ValidationError(_("Give a date between 1900 and today."))
        return value

    def validate_external_id(self, value: str) -> str:
        if value and self._external_id_taken(value):
            raise serializers.ValidationError(self._taken_message())
        return value

    def _external_id_taken(self, value: str) -> bool:
        others = Patient.objects.for_clinic(clinic_of(self)).filter(external_id__iexact=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        return others.exists()

    @staticmethod
    def _taken_message() -> str:
        return _("Another patient of this clinic already has this external id.")

    def save(self, **kwargs: Any) -> Patient:
        # The check above can lose a race with a simultaneous write; the database
        # constraint then decides, and the loser gets the same field error.
        try:
            with transaction.atomic():
                return super().save(**kwargs)
        except IntegrityError:
            raise serializers.ValidationError({"external_id": [self._taken_message()]}) from None
