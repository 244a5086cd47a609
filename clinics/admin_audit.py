"""The Django admin's reads and writes of patient data go into the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from clinics.models import AuditEvent, audit


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin that writes an audit event for each page of records it shows,
    each record it opens, and each save and delete, with `source: admin`."""

    def _audit(self, request: HttpRequest, action: str, obj: Any = None, **detail: Any) -> None:
        audit(
            action=action,
            target=obj,
            request=request,
            object_type="" if obj is not None else self.model._meta.model_name,
            detail={"source": "admin", **detail},
        )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            self._audit(request, AuditEvent.Action.VIEW, page="list", query=request.GET.urlencode())
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                self._audit(request, AuditEvent.Action.VIEW, obj)
        return response

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        action = AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE
        self._audit(request, action, obj, fields=sorted(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, AuditEvent.Action.DELETE, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self._audit(request, AuditEvent.Action.DELETE, obj)
        super().delete_queryset(request, queryset)


class ReadOnlyHistoryAdmin(admin.ModelAdmin):
    """History that nobody may add to, change or delete through the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
