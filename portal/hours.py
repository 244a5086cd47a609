"""The patient's waking hours, which the day's sessions are spread over."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinics.models import AuditEvent
from patients.forms import WakingHoursForm
from patients.models import Patient
from prescriptions.time_zones import set_time_zone
from reminders.models import ReminderPlan
from reminders.services import change_waking_hours

from .reminders import moved_message
from .views import _portal_audit, patient_required


@patient_required
@require_http_methods(["GET", "POST"])
def waking_hours(request: HttpRequest, patient: Patient) -> HttpResponse:
    initial = {
        "wake_start": patient.wake_start,
        "wake_end": patient.wake_end,
        "time_zone": patient.time_zone,
    }
    form = WakingHoursForm(
        request.POST or None, initial=initial, clinic_zone=patient.clinic.time_zone
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                moves = change_waking_hours(
                    patient=patient,
                    wake_start=form.cleaned_data["wake_start"],
                    wake_end=form.cleaned_data["wake_end"],
                )
                if form.cleaned_data["time_zone"] != patient.time_zone:
                    set_time_zone(patient=patient, time_zone=form.cleaned_data["time_zone"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _portal_audit(request, AuditEvent.Action.UPDATE, patient, "waking-hours")
            messages.success(request, _("Your hours are saved."))
            if moves:
                # The patient sees the moved times on their reminder page.
                messages.info(request, moved_message(moves))
                return redirect("portal:reminders")
            return redirect("portal:today")
    status = 400 if form.errors else 200
    plan = ReminderPlan.objects.filter(patient=patient).first()
    return render(
        request,
        "portal/waking_hours.html",
        {"form": form, "reminder_times": plan.times if plan else []},
        status=status,
    )
