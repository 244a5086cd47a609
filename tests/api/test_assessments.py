"""assessments/: list, read and record, scoped to the key's clinic, with client_id retries."""

import uuid

import pytest
from django.test import Client

from assessments.models import Assessment
from clinics.models import AuditEvent
from tests.assessment_factory import make_assessment

pytestmark = pytest.mark.django_db

URL = "/api/v1/assessments/"


def body(patient, **fields) -> dict:
    return {
        "patient": patient.pk,
        "assessed_on": "2026-03-09",
        "onset": "Lifting a suitcase",
        "pattern": "intermittent",
        "worse_with": ["sitting", "mornings"],
        "back_pain": 6,
        "leg_pain": 4,
        "location": "below_knee",
        "painful_side": "right",
        "classification": "derangement",
        "directional_preference": "extension",
        "tests": [
            {"movement": "extension_lying", "during": "centralize", "after": "better"},
            {"movement": "flexion_standing", "during": "peripheralize", "after": "worse"},
        ],
        "risk_factors": ["steroids"],
        **fields,
    }


def test_it_records_an_assessment_sets_the_baseline_and_answers_the_proposal(api, patient):
    response = api.post(URL, body(patient), format="json")

    assert response.status_code == 201
    answer = response.json()
    assert answer["location"] == "below_knee"
    assert answer["tests"][0] == {
        "movement": "extension_lying",
        "during": "centralize",
        "after": "better",
        "range_effect": "",
    }
    assert answer["proposal"]["progression"] == "extension"
    assert answer["proposal"]["first"] == 3
    assert answer["proposal"]["reassess"] is False
    patient.refresh_from_db()
    assert (patient.starting_location, patient.painful_side) == ("below_knee", "right")
    assert patient.risk_factors == ["steroids"]
    event = AuditEvent.objects.get(action="create", object_type="assessment")
    assert event.patient_id == patient.pk and event.actor_label == "api-key:EHR sync"


def test_a_retry_with_the_same_client_id_and_body_returns_the_first(api, patient):
    client_id = str(uuid.uuid4())
    first = api.post(URL, body(patient, client_id=client_id), format="json")

    again = api.post(URL, body(patient, client_id=client_id), format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Assessment.objects.count() == 1


def test_the_same_client_id_with_another_body_is_a_409(api, patient):
    client_id = str(uuid.uuid4())
    api.post(URL, body(patient, client_id=client_id), format="json")

    response = api.post(URL, body(patient, client_id=client_id, back_pain=2), format="json")

    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert Assessment.objects.get().back_pain == 6


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"back_pain": 11}, "back_pain"),
        ({"location": "knee"}, "location"),
        ({"directional_preference": ""}, "directional_preference"),
        ({"classification": "other"}, "other_subtype"),
        ({"tests": [{"movement": "extension_lying"}, {"movement": "extension_lying"}]}, "tests"),
        ({"tests": [{"movement": "cartwheel"}]}, "tests"),
        ({"assessed_on": "2027-01-01"}, "assessed_on"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_stores_nothing(api, patient, fields, field):
    response = api.post(URL, body(patient, **fields), format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Assessment.objects.exists()
    patient.refresh_from_db()
    assert patient.starting_location == ""


def test_it_lists_and_reads_the_clinics_assessments_only(
    api, therapist, patient, other_clinic_patient, other_clinic_therapist
):
    ours = make_assessment(patient, therapist)
    theirs = make_assessment(other_clinic_patient, other_clinic_therapist)

    listed = api.get(URL).json()["results"]

    assert [row["id"] for row in listed] == [ours.pk]
    assert api.get(f"{URL}{ours.pk}/").json()["classification"] == "derangement"
    assert api.get(f"{URL}{theirs.pk}/").status_code == 404


def test_the_list_filters_by_patient(api, therapist, patient, other_patient):
    make_assessment(patient, therapist)
    theirs = make_assessment(other_patient, therapist)

    listed = api.get(URL, {"patient": other_patient.pk}).json()["results"]

    assert [row["id"] for row in listed] == [theirs.pk]


def test_the_list_costs_the_same_queries_for_many_assessments(
    api, therapist, patient, django_assert_max_num_queries
):
    for day in range(1, 11):
        make_assessment(patient, therapist, assessed_on=patient.created_at.date().replace(day=day))

    with django_assert_max_num_queries(12):
        assert len(api.get(URL).json()["results"]) == 10


def test_another_clinics_patient_cannot_be_assessed(other_api, patient):
    response = other_api.post(URL, body(patient), format="json")

    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_a_read_only_key_cannot_record(read_only_api, patient):
    assert read_only_api.post(URL, body(patient), format="json").status_code == 403
    assert not Assessment.objects.exists()


def test_a_session_write_needs_the_csrf_token(therapist, patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(therapist)

    refused = client.post(URL, body(patient), content_type="application/json")
    client.get("/api-keys/")
    accepted = client.post(
        URL,
        body(patient),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )

    assert refused.status_code == 403
    assert accepted.status_code == 201
    assert Assessment.objects.get().created_by == therapist
