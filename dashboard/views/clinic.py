"""The clinic administrator's settings page: how patients reach the clinic, what
its handouts print (address, logo) and the thresholds the safety rules use."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinics.forms import ClinicSettingsForm
from clinics.models import AuditEvent, audit
from prescriptions.time_zones import clinic_time_zone_changed

from ..decorators import admin_clinic, therapist_required


@require_http_methods(["GET", "POST"])
@therapist_required
def clinic_settings(request: HttpRequest) -> HttpResponse:
    clinic = admin_clinic(request)
    form = ClinicSettingsForm(request.POST or None, request.FILES or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        form.save()
        if "time_zone" in form.changed_data:
            clinic_time_zone_changed(clinic=clinic)
        audit(
            action=AuditEvent.Action.UPDATE,
            target=clinic,
            request=request,
            detail={"fields": sorted(form.changed_data)},
        )
        messages.success(request, _("The clinic settings were saved."))
        return redirect("dashboard:clinic_settings")
    return render(
        request,
        "dashboard/clinic_settings.html",
        {"form": form, "clinic": clinic},
        status=400 if form.errors else 200,
    )
