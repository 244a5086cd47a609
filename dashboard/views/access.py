"""Ending a patient's portal access from the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinics.models import AuditEvent, audit
from dashboard.decorators import therapist_required
from patients.models import Patient


@require_POST
@therapist_required
def revoke_portal_access(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(
        Patient.objects.for_user(request.user).select_related("user"), pk=pk
    )
    if patient.revoke_portal_access():
        audit(
            action=AuditEvent.Action.UPDATE,
            target=patient,
            request=request,
            object_type="portal_login",
            object_id=patient.user_id or "",
            detail={"portal_access": "revoked"},
        )
    messages.success(
        request,
        _("%(name)s can no longer use the portal. A new invitation restores access.")
        % {"name": patient},
    )
    return redirect(reverse("patients:detail", kwargs={"pk": patient.pk}) + "#portal")
