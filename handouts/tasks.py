"""The handout PDF, rendered in the background when a program is activated."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_tasks import task

from clinics.tasks import retried
from patients.models import Patient
from prescriptions.models import Prescription

from .handout import EmptyHandoutError
from .pdf import store_pdf
from .stored import delete_stored, delete_stored_after_commit, delete_stored_for_patient


@task()
@retried
def render_handout_pdf(prescription_id: int) -> bool:
    """Store the PDF of this program version; the handout view serves it from there."""
    prescription = (
        Prescription.objects.select_related("patient__clinic", "prescribed_by")
        .filter(pk=prescription_id)
        .first()
    )
    if prescription is None:
        return False
    try:
        return store_pdf(prescription)
    except EmptyHandoutError:
        return False


def queue_renders_in_use() -> int:
    """Queue the render of every active program of a record in use; how many. The
    worker skips the copies already stored, so running it twice costs little."""
    programs = Prescription.objects.filter(
        status=Prescription.Status.ACTIVE, patient__archived=False
    ).values_list("pk", flat=True)
    queued = 0
    for program in programs.iterator():
        render_handout_pdf.enqueue(program)
        queued += 1
    return queued


def queue_render(sender: object, *, prescription_id: int, **kwargs: object) -> None:
    if not settings.HANDOUTS_RENDER_AHEAD:
        return
    # The signal comes after commit; on_commit still guards a caller inside an atomic block.
    transaction.on_commit(lambda: render_handout_pdf.enqueue(prescription_id))


def forget_superseded(sender: object, *, prescription_id: int, **kwargs: object) -> None:
    """The copies of the versions this program replaced go at once, not only once the
    worker has rendered the new one."""
    patient_id = (
        Prescription.objects.filter(pk=prescription_id).values_list("patient_id", flat=True).first()
    )
    if patient_id is not None:
        others = Prescription.objects.filter(patient_id=patient_id).exclude(pk=prescription_id)
        delete_stored(programs=others.values_list("pk", flat=True))


def forget_revoked(sender: object, *, patient_id: int, **kwargs: object) -> None:
    delete_stored_for_patient(patient_id)


def forget_archived(sender: object, *, instance: Patient, **kwargs: object) -> None:
    if instance.archived:
        delete_stored_after_commit(instance.pk)
