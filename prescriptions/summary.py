"""The overview each patient row of the list shows, stored on the patient.

Working it out for every patient of a clinic on every page view cost more the
more patients and logs a clinic had. Instead the core services call
`refresh_summary` in the same transaction as each write that changes it, and
the list reads stored, indexed columns. `rebuild_summaries` recomputes them for
many patients at once (the data migration and `manage.py rebuild_summaries`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from patients.models import Patient

from .adherence import store_for, with_log
from .models import Alert, Prescription, SymptomLog

URGENT, OPEN, CALM = 0, 1, 2


def _count(queryset: Any) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values("patient").annotate(n=Count("id")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def summary_values(
    *, alert: Any = Alert, prescription: Any = Prescription, log: Any = SymptomLog
) -> dict[str, Any]:
    """Each summary column as an SQL expression of the patient's logs, alerts and
    programs, for an UPDATE of patients (`OuterRef("pk")` is the patient). The
    models can be swapped for a migration's historical ones."""
    logs = log.objects.filter(patient=OuterRef("pk"))
    latest = logs.order_by("-logged_at", "-id")
    active = prescription.objects.filter(patient=OuterRef("pk"), status="active")
    # A quiet note (a recurrence) is for the patient page, not for the list's attention.
    open_alerts = alert.objects.filter(
        patient=OuterRef("pk"), acknowledged_at__isnull=True
    ).exclude(severity="note")
    urgent = open_alerts.filter(severity="urgent")
    return {
        "last_log": Subquery(latest.values("logged_at")[:1]),
        "latest_location": Coalesce(Subquery(latest.values("location")[:1]), Value("")),
        "first_location": Coalesce(
            Subquery(logs.order_by("logged_at", "id").values("location")[:1]), Value("")
        ),
        "open_alerts": _count(open_alerts),
        "urgent_alerts": _count(urgent),
        "attention": Case(
            When(Exists(urgent), then=Value(URGENT)),
            When(Exists(open_alerts), then=Value(OPEN)),
            default=Value(CALM),
        ),
        "active_version": Subquery(active.values("version")[:1]),
        "active_progression": Coalesce(Subquery(active.values("progression__name")[:1]), Value("")),
        "active_since": Subquery(active.values("activated_at")[:1]),
        # Adherence counts from the first program: a revision does not restart the count.
        "first_activated": Subquery(
            prescription.objects.filter(patient=OuterRef("pk"), activated_at__isnull=False)
            .order_by()
            .values("patient")
            .annotate(first=Min("activated_at"))
            .values("first")[:1]
        ),
    }


# What adherence needs of a patient besides its store.
HOURS = ("pk", "wake_start", "wake_end", "earlier_waking_hours")


def lock_patient(patient_id: int) -> None:
    """Take the patient's row lock: every write of a patient takes it first, so two
    writes of one patient never wait on each other in opposite orders."""
    Patient.objects.select_for_update().filter(pk=patient_id).values_list("pk").first()


def refresh_summary(
    patient_id: int, *, logged_at: datetime | None = None, locked: bool = False
) -> None:
    """Recompute one patient's overview. Call it inside the transaction of the
    write, after the write: the patient row is locked first (`locked`: the caller
    has locked it already), so two writes of one patient (two logs, a log and an
    acknowledgement) refresh one after the other and the last one sees both.
    `logged_at`: the write was new logs at that time, so the stored adherence only
    needs them added. One UPDATE of the patient row."""
    if not locked:
        lock_patient(patient_id)
    patient = (
        Patient.objects.select_related("clinic")
        .only(*HOURS, "adherence", "time_zone", "clinic__time_zone")
        .get(pk=patient_id)
    )
    store = None
    if logged_at is not None:
        with timezone.override(patient.zone):
            store = with_log(
                patient.adherence or {}, logged_at, patient.wake_start, patient.wake_end
            )
    if store is None:
        store = store_for(patient)
    Patient.objects.filter(pk=patient_id).update(adherence=store, **summary_values())


def rebuild_summaries(patients: Any = None, **models: Any) -> int:
    """Recompute the overview of `patients` (all by default) in one statement per
    thousand patients; returns how many were updated."""
    queryset = patients if patients is not None else Patient.objects.all()
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    values = summary_values(**models)
    for start in range(0, len(ids), 1000):
        queryset.model.objects.filter(pk__in=ids[start : start + 1000]).update(**values)
    return len(ids)


def rebuild_adherence(patients: Any = None, **models: Any) -> int:
    """Recompute the stored adherence of `patients` (all by default), one patient at a
    time; needed after a change of `TIME_ZONE` or a bulk import. `models` as in
    `adherence.store_for`."""
    queryset = patients if patients is not None else Patient.objects.all()
    count = 0
    # A migration's historical Patient may predate the earlier hours.
    fields = [field for field in HOURS if hasattr(queryset.model, field)]
    if hasattr(queryset.model, "time_zone"):
        # Each patient's days are counted in their zone, which may be their clinic's.
        queryset = queryset.select_related("clinic")
        fields += ["time_zone", "clinic__time_zone"]
    for patient in queryset.only(*fields).iterator():
        queryset.model.objects.filter(pk=patient.pk).update(adherence=store_for(patient, **models))
        count += 1
    return count
