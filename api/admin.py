from django.contrib import admin
from rest_framework_api_key.admin import APIKeyModelAdmin

from .models import ClinicAPIKey


@admin.register(ClinicAPIKey)
class ClinicAPIKeyAdmin(APIKeyModelAdmin):
    list_display = ("prefix", "name", "clinic", "read_only", "created", "last_used_at", "revoked")
    list_filter = ("clinic", "read_only", "revoked")
    search_fields = ("name", "prefix", "clinic__name")
    readonly_fields = ("last_used_at", "revoked_at", "created_by")
