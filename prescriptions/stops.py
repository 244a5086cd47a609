"""Whether an exercise of the program is still stopped, for the pages that list them.

An exercise is stopped when its latest log told the patient to stop it. The mark
ends with a later log of it that does not (a log at or inside the reference
location, nothing worse); when a therapist acknowledges the alerts that log raised,
unless the finding still holds (the log lay further out than its reference and the
patient's latest log still does); or when a therapist, having looked, lets the
patient resume it (`clear_stop`), whatever the finding. A later log that stops the
exercise again starts a new mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from patients.models import LOCATION_RANK

from .baseline import lay_further_out
from .models import PrescriptionItem, SymptomLog


def _latest() -> QuerySet:
    return SymptomLog.objects.filter(item=OuterRef("pk")).order_by("-logged_at", "-id")


def with_stop_marks(items: QuerySet) -> QuerySet:
    """Program items annotated with what `mark_stopped` needs of their latest log."""
    return items.annotate(
        latest_log_id=Subquery(_latest().values("pk")[:1]),
        latest_log_stopped=Subquery(_latest().values("stop_exercise")[:1]),
        latest_log_cleared=Subquery(_latest().values("stop_cleared_at")[:1]),
    )


def clear_stop(*, item: PrescriptionItem, by: Any) -> SymptomLog | None:
    """Let the patient resume `item`: the therapist has looked at the stop its latest log
    gave. Returns that log, or None when the exercise was not stopped (nothing changes).
    The findings and alerts stay as they were; a later log further out than the reference
    stops the exercise again."""
    with transaction.atomic():
        log = (
            SymptomLog.objects.select_for_update()
            .filter(item=item)
            .order_by("-logged_at", "-id")
            .first()
        )
        if log is None or not log.stop_exercise or log.stop_cleared_at is not None:
            return None
        log.stop_cleared_at = timezone.now()
        log.stop_cleared_by = by
        log.save(update_fields=["stop_cleared_at", "stop_cleared_by"])
    return log


def _still_out(log: SymptomLog, patient_latest: SymptomLog | None) -> bool:
    row = {
        "location": log.location,
        "reference_location": log.reference_location,
        "findings": log.findings,
    }
    if not lay_further_out(row):
        return False
    if patient_latest is None or patient_latest.pk == log.pk or not log.reference_location:
        return True
    return LOCATION_RANK[patient_latest.location] > LOCATION_RANK[log.reference_location]


def mark_stopped(items: Sequence[PrescriptionItem]) -> None:
    """Set `stopped` on each item (annotated by `with_stop_marks`). No query unless an
    item's latest log told the patient to stop; then one, and one more when a therapist
    has acknowledged a spread that may still hold."""
    ids = [
        item.latest_log_id
        for item in items
        if item.latest_log_stopped and not item.latest_log_cleared
    ]
    logs: dict[int, SymptomLog] = {}
    if ids:
        logs = {
            log.pk: log
            for log in SymptomLog.objects.filter(pk__in=ids).annotate(
                alert_count=Count("grouped_alerts"),
                open_alert_count=Count(
                    "grouped_alerts", filter=Q(grouped_alerts__acknowledged_at__isnull=True)
                ),
            )
        }
    cleared = [log for log in logs.values() if log.alert_count and not log.open_alert_count]
    patient_latest = None
    if cleared:
        patient_latest = (
            SymptomLog.objects.filter(patient_id=cleared[0].patient_id)
            .only("pk", "location")
            .order_by("-logged_at", "-id")
            .first()
        )
    for item in items:
        log = logs.get(item.latest_log_id)
        if log is None:
            item.stopped = False
        elif log in cleared:
            item.stopped = _still_out(log, patient_latest)
        else:
            item.stopped = True
