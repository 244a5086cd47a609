from django.contrib import admin

from .models import Alert, Prescription, PrescriptionItem, RedFlagCheck, SymptomLog


class PrescriptionItemInline(admin.TabularInline):
    model = PrescriptionItem
    extra = 0


@admin.register(Prescription)
class PrescriptionAdmin(admin.ModelAdmin):
    list_display = ["patient", "version", "status", "prescribed_by", "activated_at"]
    list_filter = ["status"]
    raw_id_fields = ["patient", "prescribed_by", "replaces"]
    inlines = [PrescriptionItemInline]


@admin.register(SymptomLog)
class SymptomLogAdmin(admin.ModelAdmin):
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
class AlertAdmin(admin.ModelAdmin):
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
class RedFlagCheckAdmin(admin.ModelAdmin):
    list_display = ["patient", "checked_on", "answered_yes"]
    raw_id_fields = ["patient"]
