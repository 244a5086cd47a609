"""The query parameters each list accepts."""

from __future__ import annotations

import re
from typing import Any

from rest_framework import serializers

from prescriptions.models import (
    Prescription,
)

from .common import MAX_ID


class QueryDateTimeField(serializers.DateTimeField):
    """A time in a query string. An unencoded `+` in the offset arrives as a space
    (`...T10:00:00 02:00`): read it as the `+` the client meant."""

    OFFSET_AS_SPACE = re.compile(r"(T[0-9:.]+) ([0-9]{2}:?[0-9]{2})$")

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str):
            value = self.OFFSET_AS_SPACE.sub(r"\1+\2", value)
        return super().to_internal_value(value)


class QueryFilter(serializers.Serializer):
    """The filters of a list endpoint: validated like a body (a bad value is a
    400 naming the parameter) and documented as query parameters. `lookups`
    maps each filter to the ORM lookup it applies."""

    lookups: dict[str, str] = {}

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.required = False  # every filter is optional
        return fields

    def apply(self, queryset):
        return queryset.filter(
            **{self.lookups[name]: value for name, value in self.validated_data.items()}
        )


class PatientFilter(QueryFilter):
    external_id = serializers.CharField(
        max_length=100,
        allow_blank=True,
        help_text="The clinic system's id; empty for patients without one.",
    )
    updated_since = QueryDateTimeField(
        help_text="Only patients changed at or after this time (ISO 8601), for sync."
    )
    lookups = {"external_id": "external_id", "updated_since": "updated_at__gte"}


class PrescriptionFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    status = serializers.ChoiceField(choices=Prescription.Status.choices)
    lookups = {"patient": "patient_id", "status": "status"}


class SymptomLogFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    prescription = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Prescription id (one version of a program)."
    )
    since = QueryDateTimeField(
        help_text=(
            "Only logs stored at or after this time (ISO 8601). It compares the time Centra "
            "received the log, so a log the patient back-dates is not missed by a sync."
        )
    )
    lookups = {
        "patient": "patient_id",
        "prescription": "item__prescription_id",
        "since": "created_at__gte",
    }


class AlertFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    acknowledged = serializers.BooleanField(
        help_text="`false`: alerts still open; `true`: alerts already acknowledged."
    )
    updated_since = QueryDateTimeField(
        help_text=(
            "Only alerts raised, seen again or acknowledged at or after this time (ISO 8601, "
            "compared with `updated_at`), for sync: ask again from the time your previous "
            "sync started to learn which alerts a therapist acknowledged meanwhile."
        )
    )
    lookups = {
        "patient": "patient_id",
        "acknowledged": "acknowledged_at__isnull",
        "updated_since": "updated_at__gte",
    }

    def apply(self, queryset):
        filters = dict(self.validated_data)
        if "acknowledged" in filters:
            # The column stores when, not whether: acknowledged means "not null".
            filters["acknowledged"] = not filters["acknowledged"]
        return queryset.filter(**{self.lookups[name]: value for name, value in filters.items()})


class RedFlagCheckFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    lookups = {"patient": "patient_id"}
