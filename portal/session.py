"""The portal page that logs a whole session: the symptoms before and after once, and
every exercise on one form; stored by `record_session`, a log per exercise done, each
judged by every safety rule."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clinics.models import AuditEvent, audit_each
from patients.models import Patient
from prescriptions.models import ExerciseSession, Prescription, SymptomLog
from prescriptions.safety_forms import NerveForm
from prescriptions.services import red_flags_due, urgent_alert_open
from prescriptions.sessions import record_session
from prescriptions.stops import mark_stopped, with_stop_marks

from .advice import log_advice
from .forms import LOCATION_CHOICES
from .session_forms import SessionItemForm, SymptomsForm
from .views import _portal_audit, patient_required, posted_token


def _program(request: HttpRequest) -> Prescription | None:
    return (
        Prescription.objects.for_user(request.user)
        .active()
        .select_related("patient__clinic")
        .first()
    )


@patient_required
@require_http_methods(["GET", "POST"])
def log_session(request: HttpRequest, patient: Patient) -> HttpResponse:
    prescription = _program(request)
    if prescription is None:
        # No program in use (ended, discharged, or none yet): Today says which.
        return redirect("portal:today")
    items = list(
        with_stop_marks(prescription.items.select_related("exercise")).order_by("position")
    )
    mark_stopped(items)
    if request.method == "POST":
        token = posted_token(request, "session_token")
        before_form = SymptomsForm(request.POST, moment="before")
        after_form = SymptomsForm(request.POST, moment="after")
        forms = [SessionItemForm(request.POST, item=item) for item in items]
        nerve_form = NerveForm(request.POST, prefix="session")
        every_form = [before_form, *forms, after_form, nerve_form]
        # Validate every form (no short-circuit), so each problem is shown at once.
        checked = [form.is_valid() for form in every_form]
        valid = all(checked)
        if valid and not any(form.done for form in forms):
            forms[0].add_error(None, _("Please log at least one exercise you did."))
        elif valid:
            try:
                outcome = record_session(
                    patient=patient,
                    exercises=[form.answer() for form in forms],
                    before=before_form.symptoms(),
                    after=after_form.symptoms(),
                    new_symptoms=nerve_form.cleaned_data["new_symptoms"],
                    source=SymptomLog.Source.PORTAL,
                    entered_by=request.user,
                    client_token=token,
                )
            except ValidationError as error:
                forms[0].add_error(None, error.messages)
            else:
                if outcome.created:
                    # An event per log, written together.
                    audit_each(
                        action=AuditEvent.Action.CREATE,
                        targets=[log_outcome.log for log_outcome in outcome.logs],
                        request=request,
                        detail={"page": "session"},
                    )
                query = urlencode({"session": outcome.session.pk})
                return redirect(f"{reverse('portal:session_logged')}?{query}")
    else:
        if urgent_alert_open(patient):
            # The program is paused after an urgent answer; Today says why. A form
            # already open still posts (above), so no answer is lost.
            return redirect("portal:today")
        if red_flags_due(patient):
            return redirect(f"{reverse('portal:red_flags')}?{urlencode({'next': request.path})}")
        token = uuid.uuid4().hex
        before_form = SymptomsForm(moment="before")
        after_form = SymptomsForm(moment="after")
        forms = [
            SessionItemForm(
                item=item, initial={"sets_done": item.sets, "repetitions_done": item.repetitions}
            )
            for item in items
        ]
        nerve_form = NerveForm(prefix="session")
        every_form = [before_form, *forms, after_form, nerve_form]
    _portal_audit(request, AuditEvent.Action.VIEW, prescription, "session-form")
    bound = request.method == "POST"
    return render(
        request,
        "portal/session.html",
        {
            "forms": forms,
            "before_form": before_form,
            "after_form": after_form,
            "nerve_form": nerve_form,
            "session_token": token,
            "location_choices": LOCATION_CHOICES,
            "clinic": patient.clinic,
            "has_errors": bound and any(form.errors for form in every_form),
        },
        status=400 if bound else 200,
    )


@patient_required
@require_GET
def session_logged(request: HttpRequest, patient: Patient) -> HttpResponse:
    """What the session led to: each exercise to stop is named, with the same advice
    the page after one exercise gives for the same answers; the rest is saved."""
    session_id = request.GET.get("session", "")
    session = (
        ExerciseSession.objects.for_user(request.user)
        .filter(pk=int(session_id) if session_id.isdigit() else None)
        .first()
    )
    logs = (
        list(session.logs.select_related("item__exercise").order_by("item__position"))
        if session is not None
        else []
    )
    if not logs:
        # An address typed or kept from another session: nothing of theirs to show.
        return redirect("portal:today")
    advice = [log_advice(log) for log in logs]
    return render(
        request,
        "portal/session_logged.html",
        {
            "logs": logs,
            "session": session,
            "stopped": [each for each in advice if each.stop],
            "urgent": any(each.urgent for each in advice),
            "pain_rise": any(each.pain_rise and not each.stop for each in advice),
            "recurrence": any(each.recurrence and not each.stop for each in advice),
            "clinic": patient.clinic,
        },
    )
