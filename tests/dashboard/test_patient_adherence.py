"""The patient page's adherence calendar: days by sessions, in words, not colour only."""

from datetime import timedelta

from django.utils import timezone

from prescriptions.models import Prescription
from prescriptions.summary import refresh_summary


def test_the_patient_page_shows_each_session_of_the_last_seven_days(
    therapist_client, patient, prescription, item, add_log
):
    Prescription.objects.filter(pk=prescription.pk).update(
        activated_at=timezone.now() - timedelta(days=10)
    )
    prescription.items.update(times_per_day=2, every_hours=None)
    refresh_summary(patient.pk)
    # Yesterday (Tuesday 10 March) both sessions; the clock says Wednesday 14:00.
    add_log(patient, item, days_ago=1.1)  # 11:36: the morning session
    add_log(patient, item, days_ago=0.9)  # 16:24: the evening session
    add_log(patient, item, days_ago=0.1)  # today 11:36: the morning session
    response = therapist_client.get(f"/patients/{patient.pk}/")
    content = response.content.decode()
    assert 'id="adherence"' in content
    assert "<caption" in content and "waking hours 08:00\u201320:00" in content
    assert "Session 1" in content and "Session 2" in content
    # 5-9 March missed (10 sessions), yesterday 2 of 2, today 1 of 1 due so far.
    figures = response.context["patient"].adherence_figures
    assert (figures.week.logged, figures.week.due) == (3, 13)
    assert figures.streak == 1
    assert "1 day in a row kept up" in content
    assert content.count("slot--missed") == 10
    assert "to come" in content
    # Since 1 March 14:00: that day's evening session, 16 from 2 to 9 March, 3 since.
    assert "since the start: 3 of 20 (15%)" in content
