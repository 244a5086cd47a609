"""A session from the portal costs the same queries whatever its number of exercises:
the patient's earlier logs are read once, the logs stored in one insert, their audit
events written together, and the overview and suggestion refreshed once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from prescriptions.models import ExerciseSession, Prescription, SymptomLog
from prescriptions.summary import refresh_summary
from tests.portal.test_session import URL, item_answers, session

# The request's sign-in (session, user, patient, clinic, two-step and therapist checks:
# 6), the program and its exercises with their stop marks (2); the session's write: the
# replay check, then in a savepoint the patient lock, the replay check again, the
# session and its skipped exercises (3), the earlier logs, the logs in one insert, the
# webhook endpoints, the overview in one UPDATE of the patient (2), the suggestion (the
# open one, the program, the steps, the exercises held, the branches, the step's logs,
# the dismissed ones: 7); and the logs' audit events in one insert. The same for one
# exercise as for six.
SESSION_QUERIES = 29


@pytest.fixture
def started_weeks_ago(patient, prescription):
    """The program began three weeks ago, with a week of sessions logged, so the rules
    and the adherence have history to read."""
    Prescription.objects.filter(pk=prescription.pk).update(
        activated_at=timezone.now() - timedelta(days=21)
    )
    refresh_summary(patient.pk)
    return prescription


def session_of(prescription, done):
    """The form data of a session with the first `done` exercises done, the rest skipped."""
    items = list(prescription.items.order_by("position"))
    return session(items, **{str(item.position): item_answers(item) for item in items[:done]})


@pytest.mark.parametrize("done", [1, 3, 6])
def test_a_session_costs_the_same_queries_whatever_its_number_of_exercises(
    patient_client, patient, started_weeks_ago, checked_today, done, django_assert_num_queries
):
    patient_client.post(URL, session_of(started_weeks_ago, 2))  # history to read
    data = session_of(started_weeks_ago, done)

    with django_assert_num_queries(SESSION_QUERIES):
        response = patient_client.post(URL, data)

    assert response.status_code == 302
    latest = ExerciseSession.objects.filter(patient=patient).order_by("-pk").first()
    assert latest.logs.count() == done
    assert SymptomLog.objects.filter(patient=patient).count() == 2 + done
