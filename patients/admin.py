from django.contrib import admin

from clinics.admin_audit import AuditedAdmin

from .models import Patient, PortalInvitation


@admin.register(Patient)
class PatientAdmin(AuditedAdmin):
    list_display = ["last_name", "first_name", "clinic", "external_id", "archived"]
    list_filter = ["clinic", "archived", "classification"]
    search_fields = ["last_name", "first_name", "external_id", "email"]
    raw_id_fields = ["user", "created_by"]


@admin.register(PortalInvitation)
class PortalInvitationAdmin(AuditedAdmin):
    list_display = ["patient", "created_at", "expires_at", "used_at", "voided_at"]
    readonly_fields = ["token_hash"]
    raw_id_fields = ["patient", "created_by"]
