"""patients/: sync the clinic's patients."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from api.serializers import PatientSerializer
from clinics.models import AuditEvent
from patients.models import Patient
from tests.factories import make_patient

URL = "/api/v1/patients/"


def test_it_lists_the_clinics_patients_by_id(api, patient, other_patient, other_clinic_patient):
    response = api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == sorted([patient.pk, other_patient.pk])
    event = AuditEvent.objects.get(action="view", object_type="patient")
    assert event.detail["ids"] == sorted([patient.pk, other_patient.pk])
    assert event.actor_label == "api-key:EHR sync"


def test_it_filters_by_external_id(api, clinic, patient):
    wanted = make_patient(clinic, external_id="EHR-42")

    response = api.get(URL, {"external_id": "EHR-42"})

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_an_empty_external_id_finds_patients_without_one(api, clinic, patient):
    make_patient(clinic, external_id="EHR-43")

    response = api.get(URL, {"external_id": ""})

    assert [row["id"] for row in response.json()["results"]] == [patient.pk]


def test_it_filters_by_updated_since(api, clinic, patient, other_patient):
    Patient.objects.filter(pk=patient.pk).update(updated_at=timezone.now() - timedelta(days=3))

    since = (timezone.now() - timedelta(days=1)).isoformat()
    response = api.get(URL, {"updated_since": since})

    assert [row["id"] for row in response.json()["results"]] == [other_patient.pk]


def test_updated_since_reads_an_unencoded_plus_in_the_offset(api, patient):
    # `?updated_since=2000-01-01T00:00:00+02:00` typed as is: the + arrives as a space.
    response = api.get(f"{URL}?updated_since=2000-01-01T00:00:00+02:00")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [patient.pk]


@pytest.mark.parametrize(
    "query",
    [
        {"updated_since": "yesterday"},
        {"updated_since": "2024-13-45T00:00:00Z"},
        {"updated_since": "0001-01-01T00:00:00+14:00"},
        {"external_id": "x" * 101},
        {"external_id": "a\x00b"},
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(api, query):
    response = api.get(URL, query)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(query)


@pytest.mark.parametrize(
    "query",
    [
        {"page": "0"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "last"},
        {"page_size": "0"},
        {"page_size": "101"},
        {"page_size": "null"},
    ],
)
def test_a_malformed_page_or_page_size_is_a_400(api, patient, query):
    response = api.get(URL, query)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(query)


@pytest.mark.parametrize("page", ["2", "99999999999999999999"])
def test_a_page_past_the_end_is_a_404(api, patient, page):
    response = api.get(URL, {"page": page})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_pages_hold_up_to_100_in_a_stable_order(api, clinic):
    Patient.objects.bulk_create(
        Patient(clinic=clinic, first_name="P", last_name=str(n)) for n in range(105)
    )

    first = api.get(URL, {"page_size": 100}).json()
    second = api.get(first["next"]).json()

    ids = [row["id"] for row in first["results"] + second["results"]]
    assert len(first["results"]) == 100 and len(second["results"]) == 5
    assert ids == sorted(ids) and len(set(ids)) == 105
    assert second["next"] is None


def test_it_creates_a_patient(api, clinic):
    response = api.post(
        URL,
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "date_of_birth": "1971-04-02",
            "email": "ann@example.test",
            "preferred_language": "es",
            "external_id": "EHR-7",
            "classification": "derangement",
            "directional_preference": "extension",
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    patient = Patient.objects.get(pk=body["id"])
    assert patient.clinic == clinic
    assert patient.created_by is None
    assert (patient.first_name, patient.last_name, patient.external_id) == ("Ann", "Lee", "EHR-7")
    assert patient.date_of_birth == date(1971, 4, 2)
    assert patient.preferred_language == "es"
    assert body["has_portal_login"] is False and body["archived"] is False
    assert AuditEvent.objects.filter(action="create", patient_id=patient.pk).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"last_name": "Lee"}, "first_name"),
        ({"first_name": "Ann", "last_name": ""}, "last_name"),
        ({"first_name": "Ann", "last_name": "Lee", "email": "not-an-email"}, "email"),
        (
            {"first_name": "Ann", "last_name": "Lee", "preferred_language": "xx"},
            "preferred_language",
        ),
        ({"first_name": "Ann", "last_name": "Lee", "classification": "bad"}, "classification"),
        ({"first_name": "Ann", "last_name": "Lee", "date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"first_name": "Ann", "last_name": "Lee", "date_of_birth": "1871-01-01"}, "date_of_birth"),
        ({"first_name": "Ann", "last_name": "Lee", "date_of_birth": "31/12/1980"}, "date_of_birth"),
        ({"first_name": "A" * 101, "last_name": "Lee"}, "first_name"),
        ({"first_name": ["Ann"], "last_name": "Lee"}, "first_name"),
        ('{"first_name": "Ann\\ud800", "last_name": "Lee"}', "first_name"),
        ({"first_name": "Ann", "last_name": "Lee", "archived": "perhaps"}, "archived"),
    ],
)
def test_invalid_fields_are_a_400_naming_them(api, payload, field):
    if isinstance(payload, str):  # raw JSON the test client could not encode
        response = api.post(URL, payload, content_type="application/json")
    else:
        response = api.post(URL, payload, format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]
    assert not Patient.objects.exists()


def test_an_external_id_taken_in_the_clinic_is_a_400(api, clinic, other_clinic):
    make_patient(clinic, external_id="EHR-1")
    make_patient(other_clinic, external_id="EHR-2")

    taken = api.post(
        URL, {"first_name": "A", "last_name": "B", "external_id": "EHR-1"}, format="json"
    )
    elsewhere = api.post(
        URL, {"first_name": "A", "last_name": "B", "external_id": "EHR-2"}, format="json"
    )

    assert taken.status_code == 400
    assert taken.json()["errors"]["external_id"] == [
        "Another patient of this clinic already has this external id."
    ]
    assert elsewhere.status_code == 201
    assert Patient.objects.filter(clinic=clinic, external_id="EHR-1").count() == 1


def test_the_database_constraint_decides_a_race_on_the_external_id(clinic):
    serializer = PatientSerializer(
        data={"first_name": "A", "last_name": "B", "external_id": "EHR-9"}
    )
    # Lose the race: the check finds the id free, then another request takes it.
    serializer._external_id_taken = lambda value: False
    serializer.is_valid(raise_exception=True)
    make_patient(clinic, external_id="EHR-9")

    with pytest.raises(ValidationError) as caught:
        serializer.save(clinic=clinic)

    assert "external_id" in caught.value.detail
    assert Patient.objects.filter(external_id="EHR-9").count() == 1


def test_it_reads_a_patient(api, patient):
    response = api.get(f"{URL}{patient.pk}/")

    assert response.status_code == 200
    assert response.json()["first_name"] == "Paula"
    assert response.json()["has_portal_login"] is True
    assert AuditEvent.objects.filter(action="view", patient_id=patient.pk).exists()


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_another_clinics_patient_is_404(other_api, patient, method):
    response = getattr(other_api, method)(
        f"{URL}{patient.pk}/", {"first_name": "X", "last_name": "Y"}, format="json"
    )

    assert response.status_code == 404
    patient.refresh_from_db()
    assert patient.first_name == "Paula"


@pytest.mark.parametrize("pk", ["0", "999999", "99999999999999999999", "abc", "1.5"])
def test_unknown_ids_are_404(api, pk):
    assert api.get(f"{URL}{pk}/").status_code == 404


def test_patch_changes_only_the_fields_given(api, patient):
    response = api.patch(
        f"{URL}{patient.pk}/", {"external_id": "EHR-5", "archived": True}, format="json"
    )

    assert response.status_code == 200
    patient.refresh_from_db()
    assert patient.external_id == "EHR-5" and patient.archived
    assert patient.first_name == "Paula"
    event = AuditEvent.objects.get(action="update", patient_id=patient.pk)
    assert event.detail["fields"] == ["archived", "external_id"]


def test_put_replaces_the_fields(api, patient):
    response = api.put(
        f"{URL}{patient.pk}/",
        {"first_name": "Paulette", "last_name": "Jonas", "email": ""},
        format="json",
    )

    assert response.status_code == 200
    patient.refresh_from_db()
    assert (patient.first_name, patient.last_name, patient.email) == ("Paulette", "Jonas", "")


def test_put_needs_the_required_fields(api, patient):
    response = api.put(f"{URL}{patient.pk}/", {"first_name": "Paulette"}, format="json")

    assert response.status_code == 400
    assert "last_name" in response.json()["errors"]


def test_a_patient_may_keep_their_own_external_id(api, clinic):
    patient = make_patient(clinic, external_id="EHR-3")

    response = api.patch(f"{URL}{patient.pk}/", {"external_id": "EHR-3"}, format="json")

    assert response.status_code == 200


def test_patch_to_a_taken_external_id_is_a_400(api, clinic, patient):
    make_patient(clinic, external_id="EHR-4")

    response = api.patch(f"{URL}{patient.pk}/", {"external_id": "EHR-4"}, format="json")

    assert response.status_code == 400
    patient.refresh_from_db()
    assert patient.external_id == ""


def test_a_read_only_key_cannot_change_a_patient(read_only_api, patient):
    response = read_only_api.patch(f"{URL}{patient.pk}/", {"first_name": "X"}, format="json")

    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.first_name == "Paula"


def test_a_revoked_key_cannot_create(client_with_revoked_key):
    response = client_with_revoked_key.post(
        URL, {"first_name": "A", "last_name": "B"}, format="json"
    )

    assert response.status_code == 401
    assert not Patient.objects.exists()


def test_patients_cannot_be_deleted(api, patient):
    assert api.delete(f"{URL}{patient.pk}/").status_code == 405
    assert Patient.objects.filter(pk=patient.pk).exists()


@pytest.mark.parametrize("page_size", [5, 50])
def test_listing_costs_the_same_queries_whatever_the_page_size(
    api, clinic, page_size, django_assert_num_queries
):
    Patient.objects.bulk_create(
        Patient(clinic=clinic, first_name="P", last_name=str(n)) for n in range(60)
    )
    api.get("/api/v1/exercises/")

    # key, page (no count: pages by cursor), audit
    with django_assert_num_queries(3):  # + the audit event
        response = api.get(URL, {"page_size": page_size, "updated_since": "2000-01-01T00:00:00Z"})
    assert len(response.json()["results"]) == page_size


def test_a_patients_time_zone_is_written_and_checked(api, patient):
    response = api.patch(f"{URL}{patient.pk}/", {"time_zone": "Asia/Kolkata"}, format="json")
    assert response.status_code == 200
    assert response.json()["time_zone"] == "Asia/Kolkata"
    bad = api.patch(f"{URL}{patient.pk}/", {"time_zone": "Asia/Atlantis"}, format="json")
    assert bad.status_code == 400
    assert "is not a known time zone" in bad.json()["errors"]["time_zone"][0]
    patient.refresh_from_db()
    assert patient.time_zone == "Asia/Kolkata"


def test_an_external_id_that_differs_only_in_case_is_a_400(api, clinic, other_clinic):
    make_patient(clinic, external_id="EHR-7")
    make_patient(other_clinic, external_id="ehr-8")
    response = api.post(
        URL, {"first_name": "A", "last_name": "B", "external_id": "ehr-7"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["external_id"] == [
        "Another patient of this clinic already has this external id."
    ]
    assert (
        api.post(
            URL, {"first_name": "A", "last_name": "B", "external_id": "EHR-8"}, format="json"
        ).status_code
        == 201
    )
