"""Portal Today: "2 of 6 sessions today", the streak, and the patient's own hours."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from patients.models import Patient
from prescriptions.models import Prescription
from prescriptions.services import record_symptom_log
from prescriptions.summary import refresh_summary


def _log(patient, item, *, at):
    record_symptom_log(
        patient=patient,
        item=item,
        logged_at=at,
        pain=2,
        location="central",
        during="no_effect",
        after="no_worse",
        sets_done=1,
        repetitions_done=10,
    )


def test_today_says_how_many_sessions_are_done_and_the_days_kept_up(
    patient_client, patient, prescription
):
    Prescription.objects.filter(pk=prescription.pk).update(
        activated_at=timezone.now() - timedelta(days=5)
    )
    prescription.items.update(times_per_day=6, every_hours=None)
    refresh_summary(patient.pk)
    item = prescription.items.order_by("position").first()
    today = timezone.localtime().replace(minute=0, second=0, microsecond=0)  # 14:00
    for days in (1, 2):  # the two days before: all six sessions
        for hour in (8, 10, 12, 14, 16, 18):
            _log(patient, item, at=today.replace(hour=hour) - timedelta(days=days))
    _log(patient, item, at=today.replace(hour=9))
    _log(patient, item, at=today.replace(hour=11))
    content = patient_client.get(reverse("portal:today")).content.decode()
    assert "2 of 6 sessions today" in content
    assert "You have kept up 2 days in a row." in content
    assert "08:00\u201320:00" in content


def test_a_new_program_shows_the_days_sessions_without_a_red_mark(patient_client, prescription):
    content = patient_client.get(reverse("portal:today")).content.decode()
    assert "sessions today" in content or "session today" in content
    assert "slot--missed" not in content
    assert "in a row" not in content


def test_the_patient_changes_their_hours_and_a_short_night_is_explained(
    patient_client, patient, prescription
):
    url = reverse("portal:waking_hours")
    page = patient_client.get(url).content.decode()
    assert '<label for="id_wake_start">' in page and 'value="08:00"' in page
    refused = patient_client.post(url, {"wake_start": "23:00", "wake_end": "04:00"})
    assert refused.status_code == 400
    assert "Waking hours must span at least 6 hours" in refused.content.decode()
    assert Patient.objects.get(pk=patient.pk).wake_start.hour == 8
    # Five minutes awake would count a whole day's sessions in five minutes.
    short = patient_client.post(url, {"wake_start": "08:00", "wake_end": "08:05"})
    assert short.status_code == 400
    assert "Waking hours must span at least 6 hours" in short.content.decode()
    assert Patient.objects.get(pk=patient.pk).wake_end.hour == 20
    response = patient_client.post(url, {"wake_start": "06:00", "wake_end": "21:00"})
    assert response["Location"] == reverse("portal:today")
    saved = Patient.objects.get(pk=patient.pk)
    assert (saved.wake_start.hour, saved.wake_end.hour) == (6, 21)


def test_the_patient_sets_night_hours_and_their_own_time_zone(
    patient_client, patient, prescription
):
    url = reverse("portal:waking_hours")
    page = patient_client.get(url).content.decode()
    assert '<label for="id_time_zone">My time zone</label>' in page
    assert "My clinic&#x27;s (UTC)" in page
    response = patient_client.post(
        url, {"wake_start": "22:00", "wake_end": "06:00", "time_zone": "Asia/Kolkata"}
    )
    assert response["Location"] == reverse("portal:today")
    saved = Patient.objects.get(pk=patient.pk)
    assert (saved.wake_start.hour, saved.wake_end.hour, saved.time_zone) == (
        22,
        6,
        "Asia/Kolkata",
    )
    refused = patient_client.post(
        url, {"wake_start": "22:00", "wake_end": "06:00", "time_zone": "Nowhere/Land"}
    )
    assert refused.status_code == 400
    assert Patient.objects.get(pk=patient.pk).time_zone == "Asia/Kolkata"
