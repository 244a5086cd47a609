"""The therapist's answer to a progression suggestion: accept or dismiss."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinics.models import AuditEvent, audit
from prescriptions.forms import DismissSuggestionForm
from prescriptions.models import ProgressionSuggestion
from prescriptions.services import accept_suggestion, dismiss_suggestion

from ..decorators import therapist_required


def _suggestion(request: HttpRequest, pk: int) -> ProgressionSuggestion:
    return get_object_or_404(ProgressionSuggestion.objects.for_user(request.user), pk=pk)


def _patient_page(suggestion: ProgressionSuggestion) -> str:
    return reverse("patients:detail", kwargs={"pk": suggestion.patient_id}) + "#suggestion"


@require_POST
@therapist_required
def suggestion_accept(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion(request, pk)
    try:
        revision = accept_suggestion(suggestion=suggestion, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_patient_page(suggestion))
    audit(
        action=AuditEvent.Action.UPDATE,
        target=suggestion,
        request=request,
        detail={"decision": "accept", "prescription": revision.pk},
    )
    messages.success(
        request,
        _("Version %(version)d is in use, with %(step)s.")
        % {"version": revision.version, "step": suggestion.to_exercise.name},
    )
    return redirect(_patient_page(suggestion))


@require_POST
@therapist_required
def suggestion_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion(request, pk)
    form = DismissSuggestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect(_patient_page(suggestion))
    try:
        dismiss_suggestion(
            suggestion=suggestion, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_patient_page(suggestion))
    audit(
        action=AuditEvent.Action.UPDATE,
        target=suggestion,
        request=request,
        detail={"decision": "dismiss"},
    )
    messages.success(request, _("Suggestion dismissed; the program stays as it is."))
    return redirect(_patient_page(suggestion))
