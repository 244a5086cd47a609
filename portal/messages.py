"""The patient's messages to their clinic: the thread and a composer.

The composer says when to expect an answer, that messages are not for emergencies
(with the emergency tier's advice), and that attachments cannot be sent. A message
that mentions a warning sign asks the patient to take the safety check."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinics.models import AuditEvent
from messaging.forms import MessageForm
from messaging.models import Author, Message
from messaging.services import mark_read, send_as_patient, thread_of
from patients.models import Patient
from prescriptions.models import RedFlagCheck

from .views import _portal_audit, patient_required

SHOWN = 100


def _composer(patient: Patient, data=None) -> MessageForm:
    return MessageForm(
        data,
        help_text=_(
            "Write to %(clinic)s about your exercises or your back. You can send text only, "
            "no photos or files."
        )
        % {"clinic": patient.clinic.name},
    )


def _check_prompt(patient: Patient, thread_messages: list[Message]) -> bool:
    """Whether to ask for the safety check: the patient's latest message mentions a
    warning sign and they have not answered the check since."""
    latest = next((m for m in reversed(thread_messages) if m.from_patient), None)
    if latest is None or not latest.flagged:
        return False
    return not RedFlagCheck.objects.filter(
        patient=patient, created_at__gte=latest.created_at
    ).exists()


@patient_required
@require_http_methods(["GET", "POST"])
def messages_page(request: HttpRequest, patient: Patient) -> HttpResponse:
    thread = thread_of(patient)
    form = _composer(patient, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            send_as_patient(patient=patient, body=form.cleaned_data["body"], request=request)
        except ValidationError as error:
            form.add_error("body" if hasattr(error, "error_dict") else None, error)
        else:
            return redirect(reverse("portal:messages") + "#latest")
    mark_read(thread=thread, reader=Author.PATIENT, by=request.user, request=request)
    thread_messages = list(Message.objects.for_user(request.user).filter(thread=thread))[-SHOWN:]
    _portal_audit(request, AuditEvent.Action.VIEW, thread, "messages")
    check_url = reverse("portal:red_flags") + "?" + urlencode({"next": reverse("portal:messages")})
    return render(
        request,
        "portal/messages.html",
        {
            "form": form,
            "clinic": patient.clinic,
            "thread_messages": thread_messages,
            "check_prompt": _check_prompt(patient, thread_messages),
            "check_url": check_url,
        },
        status=400 if form.is_bound else 200,
    )
