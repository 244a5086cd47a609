"""The server-drawn symptom chart."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from prescriptions.charts import DaySymptoms, daily_symptoms, symptom_chart


def day(offset: int, pain: float, rank: int) -> DaySymptoms:
    return DaySymptoms(
        day=date(2026, 3, 1) + timedelta(days=offset),
        pain_mean=pain,
        pain_min=int(pain),
        pain_max=int(pain) + 1,
        worst_rank=rank,
        logs=2,
    )


def test_it_draws_nothing_without_logs():
    assert symptom_chart([]) == ""


def test_it_names_and_describes_itself_for_screen_readers():
    svg = symptom_chart([day(0, 7, 4), day(5, 2, 1)])
    assert 'role="img"' in svg and "<title" in svg
    assert "Pain 7 out of 10 on 1 Mar 2026, 2 out of 10 on 6 Mar 2026." in svg
    assert "The pain has centralized." in svg


def test_it_says_when_the_pain_spreads_outwards():
    assert "The pain has peripheralized." in symptom_chart([day(0, 3, 1), day(1, 5, 4)])


def test_it_draws_a_single_day():
    svg = symptom_chart([day(0, 4, 2)])
    assert svg.count("<circle") == 1


@pytest.mark.any_hour
def test_it_sums_up_each_day_with_the_most_distal_location(patient, item, add_log):
    add_log(patient, item, days_ago=0, pain=2, location="central")
    add_log(patient, item, days_ago=0, pain=6, location="thigh")
    today = daily_symptoms(patient)[-1]
    assert (today.day, today.logs) == (timezone.localdate(), 2)
    assert (today.pain_min, today.pain_max, today.worst_location) == (2, 6, "thigh")
    assert float(today.pain_mean) == 4


@pytest.mark.any_hour
def test_it_marks_where_each_version_started(patient, prescription, item, add_log):
    add_log(patient, item, days_ago=3, pain=5)
    add_log(patient, item, days_ago=1, pain=3)
    svg = symptom_chart(daily_symptoms(patient), versions=[prescription])
    assert ">v1</text>" in svg
