"""A program's page and its life: activate, revise, discard, end."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clinics.models import AuditEvent, audit
from prescriptions.models import Prescription, PrescriptionItem
from prescriptions.services import (
    activate_prescription,
    compare_versions,
    end_prescription,
    start_revision,
)
from prescriptions.stops import clear_stop

from ..decorators import therapist_required
from .feedback import show_refusal


def _versions_compared(prescription: Prescription):
    """The version this one replaces (or would replace once activated) and the changes."""
    previous = prescription.replaces
    if previous is None and prescription.is_editable:
        previous = (
            Prescription.objects.filter(
                patient=prescription.patient_id, status=Prescription.Status.ACTIVE
            )
            .exclude(pk=prescription.pk)
            .first()
        )
    if previous is None:
        return None, []
    return previous, compare_versions(previous, prescription)


@require_http_methods(["GET"])
@therapist_required
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    prescription = get_object_or_404(
        Prescription.objects.for_user(request.user).select_related(
            "patient", "prescribed_by", "progression", "replaces"
        ),
        pk=pk,
    )
    items = list(prescription.items.select_related("exercise").order_by("position"))
    previous, changes = _versions_compared(prescription)
    replaced_by = (
        Prescription.objects.filter(replaces=prescription)
        .exclude(status=Prescription.Status.DRAFT)
        .first()
    )
    audit(action=AuditEvent.Action.VIEW, target=prescription, request=request)
    return render(
        request,
        "dashboard/program_detail.html",
        {
            "prescription": prescription,
            "patient": prescription.patient,
            "items": items,
            "previous": previous,
            "changes": [change for change in changes if change.change != "same"],
            "replaced_by": replaced_by,
        },
    )


def _own_prescription(request: HttpRequest, pk: int) -> Prescription:
    return get_object_or_404(
        Prescription.objects.for_user(request.user).select_related("patient"), pk=pk
    )


def _change_status(
    request: HttpRequest, prescription: Prescription, change, action: str, success: str
) -> HttpResponse:
    """Activate or end a program through its service; a refusal comes back as a
    message on the program's page, success as one on the patient's."""
    try:
        change(prescription=prescription)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("prescriptions:detail", pk=prescription.pk)
    audit(
        action=AuditEvent.Action.UPDATE,
        target=prescription,
        request=request,
        detail={"action": action},
    )
    messages.success(request, success % {"n": prescription.version})
    return redirect("patients:detail", pk=prescription.patient_id)


@require_POST
@therapist_required
def program_activate(request: HttpRequest, pk: int) -> HttpResponse:
    prescription = _own_prescription(request, pk)
    if prescription.patient.archived:
        messages.error(request, _("This patient is archived; restore them to change programs."))
        return redirect("patients:detail", pk=prescription.patient_id)
    return _change_status(
        request,
        prescription,
        activate_prescription,
        "activate",
        _("Version %(n)d is now the active program. The patient sees it in the portal."),
    )


@require_POST
@therapist_required
def program_revise(request: HttpRequest, pk: int) -> HttpResponse:
    prescription = _own_prescription(request, pk)
    if prescription.patient.archived:
        messages.error(request, _("This patient is archived; restore them to change programs."))
        return redirect("patients:detail", pk=prescription.patient_id)
    try:
        draft = start_revision(prescription=prescription, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("prescriptions:detail", pk=prescription.pk)
    audit(
        action=AuditEvent.Action.CREATE,
        target=draft,
        request=request,
        detail={"revision_of": prescription.pk},
    )
    messages.info(
        request,
        _(
            "This is a draft of version %(n)d. The patient keeps version %(old)d "
            "until you activate it."
        )
        % {"n": draft.version, "old": prescription.version},
    )
    return redirect("prescriptions:edit", pk=draft.pk)


@require_POST
@therapist_required
def program_discard(request: HttpRequest, pk: int) -> HttpResponse:
    prescription = _own_prescription(request, pk)
    if not prescription.is_editable:
        messages.error(request, _("Only a draft can be discarded."))
        return redirect("prescriptions:detail", pk=prescription.pk)
    audit(
        action=AuditEvent.Action.DELETE,
        target=prescription,
        request=request,
        detail={"version": prescription.version},
    )
    with transaction.atomic():
        prescription.items.all().delete()
        prescription.delete()
    messages.success(request, _("The draft was discarded."))
    return redirect("patients:detail", pk=prescription.patient_id)


@require_POST
@therapist_required
def program_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_status(
        request,
        _own_prescription(request, pk),
        end_prescription,
        "end",
        _("Version %(n)d has ended. The patient no longer sees a program."),
    )


@require_POST
@therapist_required
def item_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """The therapist has looked at a stop and lets the patient do the exercise again."""
    item = get_object_or_404(
        PrescriptionItem.objects.for_user(request.user).select_related(
            "exercise", "prescription__patient"
        ),
        pk=pk,
        prescription__status=Prescription.Status.ACTIVE,
    )
    log = clear_stop(item=item, by=request.user)
    if log is not None:
        audit(
            action=AuditEvent.Action.UPDATE,
            target=log,
            request=request,
            detail={"action": "resume", "item": item.pk},
        )
        messages.success(
            request,
            _("%(exercise)s: the patient may do it again.") % {"exercise": item.exercise.name},
        )
    else:
        messages.info(request, _("This exercise was not stopped; nothing changed."))
    detail = reverse("patients:detail", kwargs={"pk": item.prescription.patient_id})
    return redirect(f"{detail}#stopped")
