"""outcome-measures/: list and create, scoped to the key's clinic, idempotent, audited."""

import uuid

import pytest

from clinics.models import AuditEvent
from prescriptions.models import OutcomeMeasure
from prescriptions.outcomes import record_outcome_measure

pytestmark = pytest.mark.django_db

URL = "/api/v1/outcome-measures/"
ACTIVITIES = [
    {"activity": "Sitting through a film", "score": 3},
    {"activity": "Putting on socks", "score": 5},
    {"activity": "Gardening", "score": 1},
]


def test_it_records_each_instrument_and_scores_it(api, prescription, patient):
    nprs = api.post(
        URL,
        {
            "patient": patient.pk,
            "instrument": "nprs",
            "pain_now": 4,
            "pain_best": 2,
            "pain_worst": 7,
        },
        format="json",
    )
    assert nprs.status_code == 201
    assert (nprs.json()["score"], nprs.json()["occasion"]) == ("4.3", "start")
    psfs = api.post(
        URL,
        {"patient": patient.pk, "instrument": "psfs", "activities": ACTIVITIES},
        format="json",
    )
    assert psfs.status_code == 201 and psfs.json()["score"] == "3.0"
    groc = api.post(URL, {"patient": patient.pk, "instrument": "groc", "change": -2}, format="json")
    assert groc.status_code == 201 and groc.json()["score"] == "-2.0"
    assert set(OutcomeMeasure.objects.values_list("source", flat=True)) == {"api"}
    event = AuditEvent.objects.filter(action="create", object_type="outcomemeasure").first()
    assert event.patient_id == patient.pk and event.actor_label == "api-key:EHR sync"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"instrument": "nprs", "pain_now": 4, "pain_best": 2}, "pain_worst"),
        ({"instrument": "nprs", "pain_now": 11, "pain_best": 2, "pain_worst": 3}, "pain_now"),
        ({"instrument": "nprs", "pain_now": 4, "pain_best": 8, "pain_worst": 3}, "pain_best"),
        ({"instrument": "psfs", "activities": ACTIVITIES[:2]}, "activities"),
        ({"instrument": "groc", "change": 9}, "change"),
        ({"instrument": "sf36"}, "instrument"),
    ],
)
def test_bad_answers_are_a_400_with_field_errors(api, patient, payload, field):
    response = api.post(URL, {"patient": patient.pk, **payload}, format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert not OutcomeMeasure.objects.exists()


def test_a_retry_with_the_same_client_id_stores_nothing_new(api, patient):
    payload = {
        "patient": patient.pk,
        "instrument": "groc",
        "change": 3,
        "client_id": str(uuid.uuid4()),
    }
    first = api.post(URL, payload, format="json")
    again = api.post(URL, payload, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert OutcomeMeasure.objects.count() == 1


def test_another_clinics_patient_is_refused_and_hidden(
    api, other_api, patient, other_clinic_patient, django_assert_max_num_queries
):
    record_outcome_measure(patient=patient, instrument="groc", answers={"change": 1}, source="api")
    refused = other_api.post(
        URL, {"patient": patient.pk, "instrument": "groc", "change": 1}, format="json"
    )
    assert refused.status_code == 400
    assert other_api.get(URL).json()["results"] == []
    measure = OutcomeMeasure.objects.get()
    assert other_api.get(f"{URL}{measure.pk}/").status_code == 404
    with django_assert_max_num_queries(8):
        listed = api.get(URL, {"patient": patient.pk})
    assert [row["id"] for row in listed.json()["results"]] == [measure.pk]


def test_a_read_only_key_cannot_write(read_only_api, patient):
    response = read_only_api.post(
        URL, {"patient": patient.pk, "instrument": "groc", "change": 1}, format="json"
    )
    assert response.status_code == 403


def test_a_measure_dated_in_the_future_or_before_the_episode_is_a_400(api, prescription, patient):
    from datetime import timedelta

    from django.utils import timezone

    for when in (timezone.now() + timedelta(days=1), timezone.now() - timedelta(days=30)):
        response = api.post(
            URL,
            {
                "patient": patient.pk,
                "instrument": "groc",
                "change": 1,
                "taken_at": when.isoformat(),
            },
            format="json",
        )
        assert response.status_code == 400
        assert "taken_at" in str(response.json())
    assert not OutcomeMeasure.objects.exists()


def test_a_later_functional_scale_must_rate_the_activities_of_the_start(api, prescription, patient):
    first = {"patient": patient.pk, "instrument": "psfs", "activities": ACTIVITIES}
    assert api.post(URL, first, format="json").status_code == 201
    others = [{**row, "activity": f"Not {row['activity']}", "score": 8} for row in ACTIVITIES]
    response = api.post(URL, {**first, "activities": others}, format="json")
    assert response.status_code == 400
    assert "Sitting through a film; Putting on socks; Gardening" in str(
        response.json()["errors"]["activities"]
    )
    # The same activities, worded with other spaces and capitals, are the same ones.
    same = [{**row, "activity": f" {row['activity'].upper()} ", "score": 8} for row in ACTIVITIES]
    assert api.post(URL, {**first, "activities": same}, format="json").status_code == 201
    assert OutcomeMeasure.objects.filter(instrument="psfs").count() == 2


def test_the_same_client_id_with_another_answer_is_a_409(api, patient):
    payload = {"patient": patient.pk, "instrument": "groc", "change": 3}
    payload["client_id"] = str(uuid.uuid4())
    first = api.post(URL, payload, format="json")

    other = api.post(URL, {**payload, "change": -2}, format="json")
    other_instrument = api.post(
        URL,
        {**payload, "instrument": "nprs", "pain_now": 2, "pain_best": 1, "pain_worst": 4},
        format="json",
    )

    assert (first.status_code, other.status_code, other_instrument.status_code) == (
        201,
        409,
        409,
    )
    assert list(OutcomeMeasure.objects.values_list("change", flat=True)) == [3]
