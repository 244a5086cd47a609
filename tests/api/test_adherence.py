"""patients/{id}/adherence/ and the `adherence` field of a patient."""

from datetime import timedelta

from django.utils import timezone

from prescriptions.models import Prescription
from prescriptions.services import record_symptom_log
from prescriptions.summary import refresh_summary

URL = "/api/v1/patients/"


def _log(patient, item, *, days_ago):
    record_symptom_log(
        patient=patient,
        item=item,
        logged_at=timezone.now() - timedelta(days=days_ago),
        pain=3,
        location="central",
        during="no_effect",
        after="no_worse",
        sets_done=1,
        repetitions_done=10,
    )


def test_a_new_patient_reads_new_and_nothing_due(api, patient, prescription):
    body = api.get(f"{URL}{patient.pk}/").json()
    assert body["adherence"]["status"] == "new"
    assert body["adherence"]["last_7_days"] == {"logged": 0, "due": 0, "percent": None}
    assert body["wake_start"] == "08:00" and body["wake_end"] == "20:00"


def test_the_adherence_endpoint_gives_each_day_session_by_session(
    api, patient, prescription, item, django_assert_max_num_queries
):
    Prescription.objects.filter(pk=prescription.pk).update(
        activated_at=timezone.now() - timedelta(days=3)
    )
    prescription.items.update(times_per_day=2, every_hours=None)
    refresh_summary(patient.pk)
    _log(patient, item, days_ago=1.1)  # yesterday 11:36
    _log(patient, item, days_ago=0.9)  # yesterday 16:24
    with django_assert_max_num_queries(8):
        response = api.get(f"{URL}{patient.pk}/adherence/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "measured"
    # Sunday 8 March 14:00 to now: the 8th's evening, two on the 9th and 10th, today's
    # morning (08:00-14:00 has just ended) -> 6 due, 2 logged.
    assert body["last_7_days"] == {"logged": 2, "due": 6, "percent": 33}
    assert body["since_start"] == body["last_7_days"]
    assert [day["date"] for day in body["days"]][-1] == timezone.localdate().isoformat()
    assert body["days"][-2] == {
        "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "prescribed": 2,
        "logged": 2,
        "due": 2,
        "slots": ["done", "done"],
    }
    assert body["streak_days"] == 1
    assert body["today"]["slots"] == ["missed", "open"]


def test_another_clinics_patient_is_404(other_api, patient, prescription):
    assert other_api.get(f"{URL}{patient.pk}/adherence/").status_code == 404
    assert other_api.get(f"{URL}abc/adherence/").status_code == 404


def test_waking_hours_are_written_checked_and_recount_the_sessions(api, patient, prescription):
    prescription.items.update(times_per_day=None, every_hours=2)
    refresh_summary(patient.pk)
    bad = api.patch(
        f"{URL}{patient.pk}/", {"wake_start": "21:00", "wake_end": "21:00"}, format="json"
    )
    assert bad.status_code == 400
    assert bad.json()["errors"]["wake_end"] == [
        "Bedtime must be another time than the time of waking up."
    ]
    short = api.patch(
        f"{URL}{patient.pk}/", {"wake_start": "08:00", "wake_end": "08:05"}, format="json"
    )
    assert short.status_code == 400
    assert "at least 6 hours" in short.json()["errors"]["wake_end"][0]
    response = api.patch(
        f"{URL}{patient.pk}/", {"wake_start": "07:00", "wake_end": "23:00"}, format="json"
    )
    assert response.status_code == 200
    days = api.get(f"{URL}{patient.pk}/adherence/").json()["days"]
    assert len(days[-1]["slots"]) == 8  # every two hours over sixteen waking hours
    patient.refresh_from_db()
    # The days before today keep the hours they were counted with.
    assert patient.earlier_waking_hours == [["2026-03-10", "08:00:00", "20:00:00"]]
