"""Messages on the dashboard: the clinic's inbox, and a patient's thread (answer,
mark read, assign), which the patient page shows."""

from __future__ import annotations

from django.contrib import messages as notices
from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clinics.models import AuditEvent, audit
from messaging.forms import AssignForm, MessageForm
from messaging.models import Author, Message, Thread
from messaging.services import assign, mark_read, send_as_clinic, thread_of
from patients.models import Patient

from ..decorators import therapist_required

THREADS_SHOWN = 200


def reply_form(data=None) -> MessageForm:
    return MessageForm(
        data,
        label=_("Answer"),
        help_text=_(
            "The patient is told there is a new message, never its words; they read it "
            "in the portal. Text only: attachments cannot be sent."
        ),
    )


def thread_context(patient: Patient, *, form: MessageForm | None = None) -> dict:
    """What the patient page's messages section shows (a fixed number of queries)."""
    thread = Thread.objects.filter(patient=patient).select_related("assigned_to").first()
    thread_messages = list(Message.objects.filter(patient=patient)) if thread else []
    return {
        "thread": thread,
        "thread_messages": thread_messages,
        "unread_messages": sum(1 for m in thread_messages if m.from_patient and m.read_at is None),
        "reply_form": form or reply_form(),
        "assign_form": AssignForm(
            clinic=patient.clinic,
            initial={"therapist": thread.assigned_to_id if thread else None},
            auto_id="id_assign_%s",
        ),
    }


@require_GET
@therapist_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The clinic's threads, those with unread messages first, with unread counts per
    therapist and for the clinic."""
    clinic = request.therapist.clinic
    mine = request.GET.get("show") == "mine"
    threads = (
        Thread.objects.for_clinic(clinic)
        .filter(last_message_at__isnull=False)
        .select_related("patient", "assigned_to")
        .with_counts()
        .order_by(F("unread").desc(nulls_last=True), F("last_message_at").desc())
    )
    if mine:
        threads = threads.filter(assigned_to=request.user)
    unread = Message.objects.for_clinic(clinic).unread_from_patients()
    per_therapist = list(
        unread.values("thread__assigned_to")
        .annotate(count=Count("pk"))
        .order_by("thread__assigned_to")
    )
    names = {member.user_id: str(member) for member in clinic.therapists.select_related("user")}
    audit(action=AuditEvent.Action.VIEW, request=request, clinic=clinic, object_type="inbox")
    return render(
        request,
        "dashboard/inbox.html",
        {
            "threads": list(threads[:THREADS_SHOWN]),
            "mine": mine,
            "clinic_unread": sum(row["count"] for row in per_therapist),
            "per_therapist": [
                {
                    "name": names.get(row["thread__assigned_to"]) or _("Not assigned"),
                    "count": row["count"],
                }
                for row in per_therapist
            ],
        },
    )


def _patient(request: HttpRequest, pk: int) -> Patient:
    return get_object_or_404(Patient.objects.for_user(request.user).select_related("clinic"), pk=pk)


def _back(patient: Patient) -> HttpResponse:
    return redirect(reverse("patients:detail", args=[patient.pk]) + "#messages")


@require_POST
@therapist_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    form = reply_form(request.POST)
    if form.is_valid():
        try:
            send_as_clinic(
                patient=patient, body=form.cleaned_data["body"], by=request.user, request=request
            )
        except ValidationError as error:
            form.add_error("body" if hasattr(error, "error_dict") else None, error)
        else:
            notices.success(request, _("Your answer was sent."))
            return _back(patient)
    return render(
        request,
        "dashboard/message_reply.html",
        {"patient": patient, **thread_context(patient, form=form)},
        status=400,
    )


@require_POST
@therapist_required
def read(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    if mark_read(thread=thread_of(patient), reader=Author.CLINIC, by=request.user, request=request):
        notices.success(request, _("The messages are marked as read."))
    return _back(patient)


@require_POST
@therapist_required
def assign_thread(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    form = AssignForm(request.POST, clinic=patient.clinic, auto_id="id_assign_%s")
    if not form.is_valid():
        notices.error(request, _("Choose a therapist of this clinic."))
        return _back(patient)
    assign(
        thread=thread_of(patient),
        therapist=form.cleaned_data["therapist"],
        by=request.user,
        request=request,
    )
    notices.success(request, _("The messages are assigned."))
    return _back(patient)
