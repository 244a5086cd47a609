"""The handout PDF, rendered in the background when a program is activated."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from clinics.tasks import retried
from prescriptions.models import Prescription

from .handout import EmptyHandoutError
from .pdf import store_pdf


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


def queue_render(sender: object, *, prescription_id: int, **kwargs: object) -> None:
    # The signal comes after commit; on_commit still guards a caller inside an atomic block.
    transaction.on_commit(lambda: render_handout_pdf.enqueue(prescription_id))
