"""Registering and editing a patient, and archiving instead of deleting."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.models import AuditEvent
from patients.models import Patient
from tests.factories import make_patient

CREATE = "/patients/new/"


def details(**overrides):
    data = {
        "first_name": "Nina",
        "last_name": "Novak",
        "date_of_birth": "1975-04-02",
        "email": "nina@example.test",
        "preferred_language": "es",
        "external_id": "EHR-100",
        "classification": "derangement",
        "directional_preference": "extension",
    }
    data.update(overrides)
    return data


def test_it_registers_a_patient_in_the_therapists_clinic(therapist_client, therapist, clinic):
    response = therapist_client.post(CREATE, details())
    patient = Patient.objects.get(external_id="EHR-100")
    assert response["Location"] == reverse("patients:detail", kwargs={"pk": patient.pk})
    assert patient.clinic == clinic
    assert patient.created_by == therapist
    assert (patient.classification, patient.directional_preference) == (
        "derangement",
        "extension",
    )
    assert patient.preferred_language == "es"
    assert patient.large_print is False, "normal print unless the therapist ticks it"
    assert AuditEvent.objects.filter(action="create", patient_id=patient.pk).exists()


def test_the_therapist_records_that_the_patient_reads_large_print(therapist_client):
    therapist_client.post(CREATE, details(large_print="on"))
    assert Patient.objects.get(external_id="EHR-100").large_print is True


def test_the_form_has_a_label_for_every_field(therapist_client):
    content = therapist_client.get(CREATE).content.decode()
    for name in details():
        assert f'for="id_{name}"' in content


@pytest.mark.any_hour
def test_it_refuses_a_date_of_birth_that_is_not_in_the_past(therapist_client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = therapist_client.post(CREATE, details(date_of_birth=tomorrow))
    assert response.status_code == 400
    assert "The date of birth must be in the past." in response.content.decode()
    assert not Patient.objects.exists()


def test_it_refuses_an_external_id_already_used_in_the_clinic(therapist_client, clinic):
    make_patient(clinic, external_id="EHR-100")
    response = therapist_client.post(CREATE, details())
    assert response.status_code == 400
    assert "already has the external id EHR-100" in response.content.decode()
    assert Patient.objects.filter(external_id="EHR-100").count() == 1


def test_another_clinic_may_use_the_same_external_id(therapist_client, other_clinic):
    make_patient(other_clinic, external_id="EHR-100")
    therapist_client.post(CREATE, details())
    assert Patient.objects.filter(external_id="EHR-100").count() == 2


def test_it_requires_a_name(therapist_client):
    response = therapist_client.post(CREATE, details(first_name="  ", last_name=""))
    assert "This field is required." in response.content.decode()
    assert not Patient.objects.exists()


def test_it_edits_a_patient(therapist_client, patient):
    url = reverse("patients:edit", kwargs={"pk": patient.pk})
    assert "Paula" in therapist_client.get(url).content.decode()
    response = therapist_client.post(
        url, details(first_name="Paula", last_name="Jones-Smith", external_id="")
    )
    assert response["Location"] == reverse("patients:detail", kwargs={"pk": patient.pk})
    patient.refresh_from_db()
    assert patient.last_name == "Jones-Smith"
    assert patient.external_id == ""
    event = AuditEvent.objects.filter(action="update", patient_id=patient.pk).get()
    assert "last_name" in event.detail["changed"]


def test_editing_keeps_the_patients_own_external_id(therapist_client, clinic):
    patient = make_patient(clinic, external_id="EHR-5")
    url = reverse("patients:edit", kwargs={"pk": patient.pk})
    therapist_client.post(url, details(external_id="EHR-5", first_name="Renamed"))
    patient.refresh_from_db()
    assert patient.first_name == "Renamed"


def test_it_archives_and_restores_a_patient_without_deleting(therapist_client, patient):
    url = reverse("patients:archive", kwargs={"pk": patient.pk})
    response = therapist_client.post(url, {"archived": "1"})
    assert response["Location"] == reverse("patients:detail", kwargs={"pk": patient.pk})
    patient.refresh_from_db()
    assert patient.archived
    assert "Jones, Paula" not in therapist_client.get("/patients/").content.decode()
    therapist_client.post(url, {"archived": "0"})
    patient.refresh_from_db()
    assert not patient.archived
    assert AuditEvent.objects.filter(action="update", patient_id=patient.pk).count() == 2


def test_an_archived_patient_gets_no_new_program(therapist_client, patient):
    patient.archived = True
    patient.save()
    response = therapist_client.post(
        reverse("prescriptions:new", kwargs={"patient_pk": patient.pk}), {"source": "catalog"}
    )
    assert response["Location"] == reverse("patients:detail", kwargs={"pk": patient.pk})
    assert not patient.prescriptions.exists()


@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "archive"), ("put", "edit"), ("delete", "edit")],
)
def test_it_refuses_the_wrong_method(therapist_client, patient, method, name):
    url = reverse(f"patients:{name}", kwargs={"pk": patient.pk})
    assert getattr(therapist_client, method)(url).status_code == 405


def test_create_refuses_the_wrong_method(therapist_client):
    assert therapist_client.delete(CREATE).status_code == 405


@pytest.mark.parametrize("name", ["edit", "archive"])
def test_it_sends_anonymous_visitors_to_the_login(client, patient, name):
    url = reverse(f"patients:{name}", kwargs={"pk": patient.pk})
    response = client.get(url) if name == "edit" else client.post(url)
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(CREATE)["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", ["edit", "archive"])
def test_another_clinic_gets_404_and_changes_nothing(stranger_client, patient, name):
    url = reverse(f"patients:{name}", kwargs={"pk": patient.pk})
    assert stranger_client.get(url).status_code in (404, 405)
    assert stranger_client.post(url, details(first_name="Hacked")).status_code == 404
    patient.refresh_from_db()
    assert (patient.first_name, patient.archived) == ("Paula", False)


def test_a_patient_cannot_use_the_dashboard_forms(patient_client, patient):
    url = reverse("patients:archive", kwargs={"pk": patient.pk})
    assert patient_client.post(url).status_code == 403


def test_the_therapist_sets_the_waking_hours_and_too_short_a_night_is_refused(
    therapist_client, patient, prescription
):
    url = reverse("patients:edit", kwargs={"pk": patient.pk})
    page = therapist_client.get(url).content.decode()
    assert 'type="time"' in page and "Waking hours" in page
    assert "A change counts from today: earlier days keep the hours they had." in page
    refused = therapist_client.post(
        url, details(external_id="", wake_start="22:00", wake_end="02:00")
    )
    assert refused.status_code == 400
    assert "Waking hours must span at least 6 hours" in refused.content.decode()
    therapist_client.post(url, details(external_id="", wake_start="06:30", wake_end="22:30"))
    patient.refresh_from_db()
    assert (patient.wake_start.hour, patient.wake_end.hour) == (6, 22)
    # The days before keep the hours they had (the form saved the new ones first).
    assert patient.earlier_waking_hours == [["2026-03-10", "08:00:00", "20:00:00"]]
    # The stored adherence was counted again with the new hours, in the same save.
    assert patient.adherence["periods"]


def test_the_therapist_gives_a_travelling_patient_their_own_time_zone(
    therapist_client, patient, prescription
):
    url = reverse("patients:edit", kwargs={"pk": patient.pk})
    page = therapist_client.get(url).content.decode()
    assert "The clinic&#x27;s (UTC)" in page
    therapist_client.post(url, details(external_id="", time_zone="America/Los_Angeles"))
    patient.refresh_from_db()
    assert patient.time_zone == "America/Los_Angeles"
    assert patient.local_date().isoformat() == "2026-03-11"  # 07:00 there
    therapist_client.post(url, details(external_id="", time_zone=""))
    patient.refresh_from_db()
    assert patient.time_zone == ""


@pytest.mark.parametrize(
    ("typed", "language", "stored"),
    [("02/04/1975", "en", "1975-04-02"), ("02/04/1975", "es", "1975-04-02")],
)
def test_a_date_typed_by_hand_is_read_day_first(therapist_client, typed, language, stored):
    therapist_client.post(CREATE, details(date_of_birth=typed), HTTP_ACCEPT_LANGUAGE=language)
    assert Patient.objects.get(external_id="EHR-100").date_of_birth.isoformat() == stored


def test_a_month_first_date_is_refused_with_the_expected_form(therapist_client):
    response = therapist_client.post(CREATE, details(date_of_birth="12/31/1975"))
    assert response.status_code == 400
    content = response.content.decode()
    assert "Enter the date as day/month/year, e.g. 29/11/1975." in content
    assert 'placeholder="day/month/year, e.g. 29/11/1975"' in content
    assert not Patient.objects.filter(external_id="EHR-100").exists()


def test_an_external_id_that_differs_only_in_case_is_taken(therapist_client, clinic):
    make_patient(clinic, external_id="ehr-100")
    response = therapist_client.post(CREATE, details(external_id="EHR-100"))
    assert response.status_code == 400
    assert "Another patient of this clinic already has the external id EHR-100." in (
        response.content.decode()
    )
    assert Patient.objects.filter(external_id__iexact="ehr-100").count() == 1
