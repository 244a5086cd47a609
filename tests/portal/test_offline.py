"""What the phone asks the server for the offline portal: its state (facts for the offline
judgement, a form token), whether a phone must forget what it keeps, the service worker."""

import pytest
from django.urls import reverse

from prescriptions.models import SymptomLog
from prescriptions.services import record_symptom_log

STATE = reverse("portal:offline_state")
DEVICE = reverse("portal:offline_device")


def device_value(client) -> str:
    return client.get(STATE).json()["device"]


@pytest.mark.django_db
def test_the_state_gives_the_patient_the_facts_the_phone_judges_by(
    patient_client, patient, prescription, django_assert_max_num_queries
):
    patient.starting_location = "thigh"
    patient.save(update_fields=["starting_location"])
    item = prescription.items.order_by("position").first()
    record_symptom_log(
        patient=patient,
        item=item,
        pain=4,
        location="buttock",
        during="no_effect",
        after="better",
        sets_done=1,
        repetitions_done=10,
    )
    with django_assert_max_num_queries(15):
        response = patient_client.get(STATE)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["user"] == patient.user_id and body["csrf"]
    assert body["facts"]["starting_location"] == "thigh"
    assert body["facts"]["previous_location"] == "buttock"
    assert body["facts"]["pain_rise_threshold"] == patient.clinic.pain_rise_threshold
    assert body["items"][str(item.pk)] == item.exercise.name
    assert body["rules"]["location_rank"]["foot"] == 6
    assert body["clinic"]["emergency_number"] == patient.clinic.emergency_number
    assert SymptomLog.objects.count() == 1  # asking changes nothing


@pytest.mark.django_db
def test_the_state_says_not_signed_in_without_a_session(client):
    response = client.get(STATE)
    assert response.status_code == 401 and response.json() == {"signed_in": False}


@pytest.mark.django_db
def test_the_state_is_not_for_a_therapist(therapist_client):
    assert therapist_client.get(STATE).status_code == 404


@pytest.mark.django_db
def test_the_state_only_answers_get(patient_client):
    assert patient_client.post(STATE).status_code == 405


@pytest.mark.django_db
def test_an_archived_patient_is_told_to_clear_and_signed_out(patient_client, patient):
    patient.archived = True
    patient.save(update_fields=["archived"])
    response = patient_client.get(STATE)
    assert response.status_code == 410 and response.json()["clear"] is True
    assert patient_client.get(STATE).status_code == 401


@pytest.mark.django_db
def test_a_phone_of_a_patient_still_in_care_keeps_its_data_after_the_session_ends(
    patient_client,
):
    value = device_value(patient_client)
    patient_client.logout()
    response = patient_client.get(DEVICE, {"device": value})
    assert response.status_code == 200 and response.json() == {"clear": False}


@pytest.mark.django_db
def test_a_phone_whose_access_was_revoked_is_told_to_clear(patient_client, patient):
    value = device_value(patient_client)
    patient.revoke_portal_access()
    assert patient_client.get(DEVICE, {"device": value}).json() == {"clear": True}


@pytest.mark.django_db
def test_a_phone_of_an_archived_record_is_told_to_clear(patient_client, patient):
    value = device_value(patient_client)
    patient.archived = True
    patient.save(update_fields=["archived"])
    assert patient_client.get(DEVICE, {"device": value}).json() == {"clear": True}


@pytest.mark.django_db
def test_a_forged_device_value_is_a_400_that_clears_nothing(client, patient):
    response = client.get(DEVICE, {"device": str(patient.user_id)})
    assert response.status_code == 400 and response.json() == {"clear": False}


@pytest.mark.django_db
def test_the_worker_is_served_from_the_portal_and_names_its_scripts(client):
    response = client.get(reverse("portal:service_worker"))
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/portal/"
    body = response.content.decode()
    assert 'importScripts("/static/portal/offline-store.js")' in body
    assert "/portal/offline/state/" in body and "showNotification" in body


@pytest.mark.django_db
def test_the_offline_page_shows_nothing_of_a_patient(client):
    response = client.get(reverse("portal:offline"))
    assert response.status_code == 200
    assert "No signal" in response.content.decode()
