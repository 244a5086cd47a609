from django.contrib import admin

from .models import AuditEvent, Clinic, Therapist


class TherapistInline(admin.TabularInline):
    model = Therapist
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "paper_size", "emergency_number", "pain_rise_threshold"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [TherapistInline]


@admin.register(Therapist)
class TherapistAdmin(admin.ModelAdmin):
    list_display = ["__str__", "clinic", "is_clinic_admin"]
    list_filter = ["clinic", "is_clinic_admin"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "clinic", "actor_label", "action", "object_type", "object_id", "ip"]
    list_filter = ["action", "object_type", "clinic"]
    search_fields = ["actor_label", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
