"""Changes of time zone: a patient's own, or their clinic's (for the patients who keep
the clinic's). The days of sessions then start at other instants, so the stored
adherence (`Patient.adherence`, see adherence.py) is counted again in the new days."""

from __future__ import annotations

from django.db import transaction

from clinics.models import Clinic
from clinics.validators import validate_time_zone
from patients.models import Patient

from .summary import rebuild_adherence, refresh_summary


def set_time_zone(*, patient: Patient, time_zone: str) -> Patient:
    """Give the patient their own time zone ("": their clinic's), and count their
    adherence again in its days. Safe to call after a form has saved the field."""
    if time_zone:
        validate_time_zone(time_zone)
    with transaction.atomic():
        patient.time_zone = time_zone
        patient.save(update_fields=["time_zone", "updated_at"])
        refresh_summary(patient.pk)
    return patient


def clinic_time_zone_changed(*, clinic: Clinic) -> int:
    """After the clinic's zone changed: count again the adherence of its patients who
    follow it. How many patients that was."""
    with transaction.atomic():
        return rebuild_adherence(Patient.objects.filter(clinic=clinic, time_zone=""))
