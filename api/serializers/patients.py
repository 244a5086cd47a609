"""Patients as clinic systems sync them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from patients.models import Patient

from .common import clinic_of


class PatientSerializer(serializers.ModelSerializer):
    """Reads and writes a patient; `external_id` is the patient's id in the
    clinic's own system, unique within the clinic when given."""

    has_portal_login = serializers.SerializerMethodField()

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
            "archived",
            "has_portal_login",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "has_portal_login", "created_at", "updated_at"]

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
        others = Patient.objects.for_clinic(clinic_of(self)).filter(external_id=value)
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
