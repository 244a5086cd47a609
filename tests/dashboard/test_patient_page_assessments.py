"""The assessment card of the patient page: the latest proposal, every visit, the chart."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessment_factory import make_assessment


def page(client, patient) -> str:
    return client.get(reverse("patients:detail", kwargs={"pk": patient.pk})).content.decode()


def test_a_reassessment_that_centralizes_is_charted(therapist_client, therapist, patient):
    make_assessment(patient, therapist, assessed_on=date(2026, 3, 2), location="thigh")
    make_assessment(
        patient, therapist, assessed_on=date(2026, 3, 9), location="one_side", leg_pain=0
    )

    text = page(therapist_client, patient)

    assert 'class="assessment-chart"' in text
    assert "The pain has centralized." in text
    assert text.index("9 Mar 2026") < text.index("2 Mar 2026")  # newest first in the table


def test_one_assessment_shows_no_chart_yet(therapist_client, therapist, patient):
    make_assessment(patient, therapist)

    assert 'class="assessment-chart"' not in page(therapist_client, patient)


def test_the_card_costs_the_same_queries_for_eight_assessments_as_for_two(
    therapist_client, therapist, patient, other_patient
):
    for day in (2, 3):
        make_assessment(patient, therapist, assessed_on=date(2026, 3, day))
    for day in range(1, 9):
        make_assessment(other_patient, therapist, assessed_on=date(2026, 3, day))
    page(therapist_client, patient)  # the session and the audit chain settle

    with CaptureQueriesContext(connection) as two:
        page(therapist_client, patient)
    with CaptureQueriesContext(connection) as eight:
        page(therapist_client, other_patient)

    assert len(two.captured_queries) == len(eight.captured_queries)
