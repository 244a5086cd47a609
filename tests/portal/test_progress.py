from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.models import AuditEvent
from prescriptions.services import record_symptom_log

pytestmark = pytest.mark.any_hour


def log(patient, item, *, days_ago, pain, location, during="no_effect", after="no_effect"):
    return record_symptom_log(
        patient=patient,
        item=item,
        pain=pain,
        location=location,
        during=during,
        after=after,
        sets_done=1,
        repetitions_done=10,
        logged_at=timezone.now() - timedelta(days=days_ago),
    ).log


def test_it_explains_centralization_and_invites_a_first_log(patient_client, prescription):
    content = patient_client.get(reverse("portal:progress")).content.decode()
    assert "centralization" in content
    assert "Nothing logged yet" in content


def test_it_charts_pain_and_where_it_reaches_day_by_day(patient_client, patient, item):
    log(patient, item, days_ago=6, pain=7, location="below_knee")
    log(patient, item, days_ago=3, pain=5, location="buttock")
    log(patient, item, days_ago=3, pain=3, location="thigh")
    log(patient, item, days_ago=0, pain=2, location="central", during="centralize")
    response = patient_client.get(reverse("portal:progress"))
    assert response.status_code == 200
    days = response.context["days"]
    assert [(d.pain, d.where) for d in days] == [
        (7.0, "Below knee"),
        (4.0, "Thigh"),
        (2.0, "Middle of back"),
    ]
    content = response.content.decode()
    assert content.count('class="chart__point"') == 6
    assert "From “Below knee”" in content
    assert "The pain moved towards my spine" in content


def test_it_lists_only_the_patients_own_logs_newest_first(
    patient_client, patient, item, other_patient, therapist
):
    from tests.factories import make_prescription

    log(patient, item, days_ago=2, pain=6, location="thigh")
    log(patient, item, days_ago=1, pain=3, location="buttock")
    oscar_item = make_prescription(other_patient, therapist, first=1).items.get()
    log(other_patient, oscar_item, days_ago=1, pain=9, location="foot")
    response = patient_client.get(reverse("portal:progress"))
    logs = list(response.context["page"])
    assert [entry.pain for entry in logs] == [3, 6]
    assert "9/10" not in response.content.decode()


def test_it_pages_long_histories(patient_client, patient, item):
    for n in range(15):
        log(patient, item, days_ago=n, pain=n % 10 + 1, location="central")
    first = patient_client.get(reverse("portal:progress"))
    assert len(first.context["page"]) == 10
    assert "Page 1 of 2" in first.content.decode()
    second = patient_client.get(reverse("portal:progress") + "?page=2")
    assert len(second.context["page"]) == 5


def test_it_costs_the_same_queries_for_many_logs(
    patient_client, patient, prescription, django_assert_max_num_queries
):
    for position, each in enumerate(prescription.items.all()):
        for days_ago in range(4):
            log(patient, each, days_ago=days_ago, pain=position + 1, location="central")
    with django_assert_max_num_queries(
        16
    ):  # + the audit chain, + discharge summaries, + two-step gate
        response = patient_client.get(reverse("portal:progress"))
    assert len(response.context["page"]) == 10


def test_it_records_that_the_patient_viewed_their_logs(patient_client, patient):
    patient_client.get(reverse("portal:progress"))
    event = AuditEvent.objects.exclude(action="login").get(actor=patient.user)
    assert (event.action, event.object_type, event.patient_id) == (
        AuditEvent.Action.VIEW,
        "patient",
        patient.pk,
    )
