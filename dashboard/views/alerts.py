"""Acknowledging a patient's alerts, one or all."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from clinics.models import AuditEvent, audit
from patients.models import Patient
from prescriptions.models import Alert
from prescriptions.services import (
    acknowledge_alerts,
)

from ..decorators import therapist_required


def _back_to(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
@therapist_required
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(Alert.objects.for_user(request.user).select_related("patient"), pk=pk)
    acknowledged = alert.acknowledge(by=request.user)
    if acknowledged:
        audit(
            action=AuditEvent.Action.UPDATE,
            target=alert,
            request=request,
            detail={"action": "acknowledge", "kind": alert.kind},
        )
    else:
        alert.refresh_from_db()
    by = alert.acknowledged_by
    by_name = (by.get_full_name() or by.get_username()) if by else ""
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {
                "acknowledged": True,
                "already": not acknowledged,
                "by": by_name,
                "at": alert.acknowledged_at.isoformat(),
            }
        )
    if acknowledged:
        messages.success(request, _("Alert acknowledged."))
    else:
        messages.info(
            request, _("%(name)s had already acknowledged this alert.") % {"name": by_name}
        )
    fallback = reverse("patients:detail", kwargs={"pk": alert.patient_id}) + "#alerts"
    return redirect(_back_to(request, fallback))


@require_POST
@therapist_required
def alerts_acknowledge_all(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient.objects.for_user(request.user), pk=patient_pk)
    count = acknowledge_alerts(patient=patient, by=request.user)
    if count:
        audit(
            action=AuditEvent.Action.UPDATE,
            target=patient,
            request=request,
            detail={"action": "acknowledge all alerts", "count": count},
        )
    messages.success(
        request,
        ngettext("%(n)d alert acknowledged.", "%(n)d alerts acknowledged.", count) % {"n": count},
    )
    return redirect(reverse("patients:detail", kwargs={"pk": patient.pk}) + "#alerts")
