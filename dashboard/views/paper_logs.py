"""Typing in a patient's paper log sheet."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinics.models import AuditEvent, audit
from patients.models import Patient
from prescriptions.forms import (
    PaperLogForm,
)
from prescriptions.models import Prescription, PrescriptionItem
from prescriptions.services import (
    log_answers,
    record_paper_log,
)

from ..decorators import therapist_required


@require_http_methods(["GET", "POST"])
@therapist_required
def log_create(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient.objects.for_user(request.user), pk=patient_pk)
    active = Prescription.objects.filter(patient=patient, status=Prescription.Status.ACTIVE).first()
    items = (
        list(PrescriptionItem.objects.filter(prescription=active).select_related("exercise"))
        if active
        else []
    )
    if not items or patient.archived:
        messages.error(request, _("A log can only be entered for a program in use."))
        return redirect("patients:detail", pk=patient.pk)
    form = PaperLogForm(request.POST or None, items=items)
    if request.method == "GET":
        audit(
            action=AuditEvent.Action.VIEW,
            target=patient,
            request=request,
            detail={"page": "paper log"},
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = record_paper_log(
                patient=patient,
                item=form.chosen_item,
                **log_answers(data),
                logged_at=data["logged_at"],
                red_flag_answers=data["red_flag_answers"],
                red_flags_asked=data["red_flags_asked"],
                entered_by=request.user,
                client_token=data["client_token"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if outcome.created:
                audit(action=AuditEvent.Action.CREATE, target=outcome.log, request=request)
            for alert in outcome.alerts:
                messages.warning(
                    request, _("Alert raised: %(message)s") % {"message": alert.message}
                )
            if outcome.stop_exercise:
                messages.warning(
                    request,
                    _(
                        "By the safety rules, this patient should stop %(exercise)s "
                        "until you review it."
                    )
                    % {"exercise": form.chosen_item.exercise.name},
                )
            messages.success(request, _("The log was added to the timeline."))
            return redirect(reverse("patients:detail", kwargs={"pk": patient.pk}) + "#timeline")
    return render(
        request,
        "dashboard/log_form.html",
        {"patient": patient, "form": form, "active": active},
        status=400 if form.errors else 200,
    )


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
