from django.contrib import admin

from clinics.admin_audit import AuditedAdmin

from .models import (
    Alert,
    Prescription,
    PrescriptionItem,
    ProgressionSuggestion,
    RedFlagCheck,
    SymptomLog,
)


class PrescriptionItemInline(admin.TabularInline):
    model = PrescriptionItem
    extra = 0


@admin.register(Prescription)
class PrescriptionAdmin(AuditedAdmin):
    list_display = ["patient", "version", "status", "prescribed_by", "activated_at"]
    list_filter = ["status"]
    raw_id_fields = ["patient", "prescribed_by", "replaces"]
    inlines = [PrescriptionItemInline]


@admin.register(SymptomLog)
class SymptomLogAdmin(AuditedAdmin):
    list_display = [
        "patient",
        "logged_at",
        "pain",
        "location",
        "during",
        "after",
        "stop_exercise",
        "source",
    ]
    list_filter = ["source", "during", "after"]
    raw_id_fields = ["patient", "item", "entered_by"]


@admin.register(Alert)
class AlertAdmin(AuditedAdmin):
    list_display = ["patient", "kind", "severity", "count", "created_at", "acknowledged_at"]
    list_filter = ["kind", "severity"]
    raw_id_fields = [
        "patient",
        "symptom_log",
        "red_flag_check",
        "acknowledged_by",
        "exercise",
        "logs",
    ]


@admin.register(RedFlagCheck)
class RedFlagCheckAdmin(AuditedAdmin):
    list_display = ["patient", "checked_on", "answered_yes"]
    raw_id_fields = ["patient"]


@admin.register(ProgressionSuggestion)
class ProgressionSuggestionAdmin(AuditedAdmin):
    """Read-only: a suggestion is decided on the patient page or through the API, where
    accepting makes the program version."""

    list_display = ["patient", "direction", "to_exercise", "status", "created_at", "decided_by"]
    list_filter = ["status", "direction"]
    raw_id_fields = ["patient", "prescription", "result", "decided_by"]
    filter_horizontal: list[str] = []

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
