"""One log posted by a clinic system costs a fixed number of queries, whatever the
patient's history: the safety rules read the earlier logs once, the overview is written
in one UPDATE, and the suggestion is read once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from prescriptions.models import Prescription, SymptomLog
from prescriptions.summary import refresh_summary
from tests.api.logs import answers

pytestmark = pytest.mark.any_hour

URL = "/api/v1/symptom-logs/"

# The key (1), the exercise with its program and patient (1); in a savepoint the patient
# lock, the log's session of one, the clinic, the earlier logs, the log, the webhook
# endpoints, the overview in one UPDATE of the patient (2), the suggestion (7); the
# audit event, and the red-flag tiers due in the answer (2).
LOG_QUERIES = 22


@pytest.fixture
def started_weeks_ago(patient, prescription):
    Prescription.objects.filter(pk=prescription.pk).update(
        activated_at=timezone.now() - timedelta(days=21)
    )
    refresh_summary(patient.pk)
    return prescription


def test_a_log_costs_a_fixed_number_of_queries(
    api, item, patient, started_weeks_ago, django_assert_num_queries
):
    api.post(URL, answers(item), format="json")  # history to read
    data = answers(item, pain=3)

    with django_assert_num_queries(LOG_QUERIES):
        response = api.post(URL, data, format="json")

    assert response.status_code == 201
    assert SymptomLog.objects.filter(patient=patient).count() == 2
