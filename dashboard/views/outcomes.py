"""Outcome measures and episodes on the dashboard: a therapist enters measures,
asks the patient for the discharge set, and ends an episode of care."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clinics.models import AuditEvent, audit
from patients.models import Patient
from prescriptions.models import OutcomeMeasure
from prescriptions.outcome_forms import OutcomeMeasuresForm
from prescriptions.outcome_models import Instrument
from prescriptions.outcomes import (
    baseline_activities,
    end_episode,
    open_episode,
    record_outcome_set,
    request_discharge_measures,
)

from ..decorators import therapist_required


def _patient(request: HttpRequest, pk: int) -> Patient:
    return get_object_or_404(
        Patient.objects.for_user(request.user).select_related("clinic"), pk=pk, archived=False
    )


def _back(patient: Patient) -> str:
    return reverse("patients:detail", args=[patient.pk]) + "#outcomes"


@require_http_methods(["GET", "POST"])
@therapist_required
def measures_new(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = _patient(request, patient_pk)
    episode = open_episode(patient)
    started = episode is not None and episode.measures.exists()
    instruments = (
        (Instrument.NPRS, Instrument.PSFS, Instrument.GROC)
        if started
        else (Instrument.NPRS, Instrument.PSFS)
    )
    form = OutcomeMeasuresForm(
        request.POST if request.method == "POST" else None,
        instruments=instruments,
        activities=baseline_activities(patient),
    )
    if request.method == "POST" and form.is_valid():
        try:
            measures = record_outcome_set(
                patient=patient,
                answers=form.answers,
                source=OutcomeMeasure.Source.THERAPIST,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            for measure in measures:
                audit(action=AuditEvent.Action.CREATE, target=measure, request=request)
            messages.success(request, _("Outcome measures saved."))
            return redirect(_back(patient))
    return render(
        request,
        "dashboard/outcome_measures_form.html",
        {"patient": patient, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@therapist_required
def discharge_request(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = _patient(request, patient_pk)
    episode = request_discharge_measures(patient=patient)
    audit(
        action=AuditEvent.Action.UPDATE,
        target=episode,
        request=request,
        detail={"discharge_measures": "requested"},
    )
    messages.success(
        request, _("The patient will be asked for the discharge measures in the portal.")
    )
    return redirect(_back(patient))


class EndEpisodeForm(forms.Form):
    summary_note = forms.CharField(
        label=gettext_lazy("Discharge note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=gettext_lazy("Printed on both versions of the discharge summary."),
    )
    referring_doctor = forms.CharField(
        label=gettext_lazy("Referring doctor"), required=False, max_length=200
    )


@require_http_methods(["GET", "POST"])
@therapist_required
def episode_end(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = _patient(request, patient_pk)
    form = EndEpisodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            episode = end_episode(patient=patient, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_back(patient))
        audit(
            action=AuditEvent.Action.UPDATE,
            target=episode,
            request=request,
            detail={"episode": "ended"},
        )
        messages.success(
            request, _("The episode of care has ended. The discharge summaries are ready below.")
        )
        return redirect(_back(patient))
    return render(
        request,
        "dashboard/episode_end.html",
        {"patient": patient, "form": form, "episode": open_episode(patient)},
        status=400 if form.errors else 200,
    )


__all__ = ["discharge_request", "episode_end", "measures_new"]
