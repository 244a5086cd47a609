"""The portal page where a patient fills the outcome measures that are due."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinics.models import AuditEvent
from patients.models import Patient
from prescriptions.models import OutcomeMeasure
from prescriptions.outcome_forms import OutcomeMeasuresForm
from prescriptions.outcomes import baseline_activities, measures_due, record_outcome_set

from .views import _portal_audit, patient_required, posted_token


@patient_required
@require_http_methods(["GET", "POST"])
def fill_measures(request: HttpRequest, patient: Patient) -> HttpResponse:
    due = measures_due(patient)
    if due is None:
        messages.info(request, _("You have no questionnaire to fill in today. Thank you."))
        return redirect("portal:today")
    token = posted_token(request, "form_token")
    form = OutcomeMeasuresForm(
        request.POST if request.method == "POST" else None,
        instruments=due.instruments,
        activities=baseline_activities(patient),
    )
    if request.method == "POST" and form.is_valid():
        try:
            measures = record_outcome_set(
                patient=patient,
                answers=form.answers,
                source=OutcomeMeasure.Source.PORTAL,
                form_token=token,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            for measure in measures:
                _portal_audit(request, AuditEvent.Action.CREATE, measure, "measures")
            messages.success(request, _("Thank you. Your answers are saved for your therapist."))
            return redirect("portal:today")
    _portal_audit(request, AuditEvent.Action.VIEW, patient, "measures-form")
    return render(
        request,
        "portal/measures.html",
        {"form": form, "due": due, "clinic": patient.clinic, "form_token": token},
        status=400 if form.errors else 200,
    )
