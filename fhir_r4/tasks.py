"""The worker's part of a Bulk Data export: write the files, and delete them when
their time is up."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import default_task_backend, task

from .bulk import delete_export, links_of, write_export
from .models import BulkExport

logger = logging.getLogger(__name__)


@task()
def run_export(export_id: int) -> bool:
    """Write one export's NDJSON files; a failure is reported at its status URL."""
    claimed = BulkExport.objects.filter(pk=export_id, status=BulkExport.Status.QUEUED).update(
        status=BulkExport.Status.RUNNING
    )
    if not claimed:
        return False  # cancelled (deleted) meanwhile, or already run
    export = BulkExport.objects.select_related("clinic").get(pk=export_id)
    try:
        write_export(export, links_of(export))
    except Exception:
        logger.exception("The bulk export %s failed", export_id)
        export.status = BulkExport.Status.FAILED
        export.error = "The export failed on the server; ask for a new one."
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at"])
        return False
    if default_task_backend.supports_defer:
        expire_export.using(run_after=export.expires_at).enqueue(export.pk)
    return True


@task()
def expire_export(export_id: int) -> bool:
    """Delete an export's files once its time is up (queued, deferred, when it is done)."""
    export = BulkExport.objects.expired().filter(pk=export_id).first()
    if export is None:
        return False
    delete_export(export)
    return True
