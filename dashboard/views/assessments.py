"""Recording an assessment or a reassessment, and reading one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessments.forms import AssessmentForm, MovementTestsForm
from assessments.models import Assessment, Factor
from assessments.program import proposed_program
from assessments.services import record_assessment
from clinics.models import AuditEvent, audit
from patients.models import Patient, RiskFactor

from ..decorators import therapist_required


@require_http_methods(["GET", "POST"])
@therapist_required
def assessment_new(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient.objects.for_user(request.user), pk=patient_pk)
    if patient.archived:
        messages.error(
            request, _("This patient is archived; restore them to record an assessment.")
        )
        return redirect("patients:detail", pk=patient.pk)
    previous = (
        Assessment.objects.for_user(request.user)
        .filter(patient=patient)
        .order_by("-assessed_on", "-id")
        .first()
    )
    data = request.POST if request.method == "POST" else None
    form = AssessmentForm(data, patient=patient, previous=previous)
    tests_form = MovementTestsForm(data)
    # Both forms are checked, so that every mistake shows at once.
    if data is not None and all([form.is_valid(), tests_form.is_valid()]):
        try:
            assessment, _created = record_assessment(
                patient=patient,
                by=request.user,
                data=form.cleaned_assessment(),
                tests=tests_form.tests(),
                risk_factors=form.cleaned_data["risk_factors"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            audit(action=AuditEvent.Action.CREATE, target=assessment, request=request)
            messages.success(
                request,
                _("The assessment is saved; the patient's baseline is updated from it."),
            )
            return redirect("assessments:detail", pk=assessment.pk)
    if data is None:
        audit(action=AuditEvent.Action.VIEW, target=patient, request=request)
    return render(
        request,
        "dashboard/assessment_form.html",
        {"patient": patient, "form": form, "tests_form": tests_form, "previous": previous},
        status=400 if data is not None else 200,
    )


def _labels(choices, codes: list[str]) -> list[str]:
    return [str(choices(code).label) for code in codes if code in choices.values]


@require_GET
@therapist_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        Assessment.objects.for_user(request.user)
        .select_related("patient", "created_by")
        .prefetch_related("tests"),
        pk=pk,
    )
    audit(action=AuditEvent.Action.VIEW, target=assessment, request=request)
    return render(
        request,
        "dashboard/assessment_detail.html",
        {
            "assessment": assessment,
            "patient": assessment.patient,
            "proposed": proposed_program(assessment, assessment.patient.clinic),
            "tests": list(assessment.tests.all()),
            "worse_with": _labels(Factor, assessment.worse_with),
            "better_with": _labels(Factor, assessment.better_with),
            "risk_factors": _labels(RiskFactor, assessment.patient.risk_factors),
        },
    )
