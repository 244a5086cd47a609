"""A clinic administrator sets the emergency number and the pain-rise threshold."""

from django.urls import reverse

from clinics.models import AuditEvent
from prescriptions.services import record_red_flag_check

URL = reverse("dashboard:clinic_settings")


def settings_data(**overrides):
    data = {
        "phone": "020 7946 0000",
        "emergency_number": "999",
        "pain_rise_threshold": 4,
        "inactivity_alert_days": 3,
        "adherence_alert_percent": 50,
    }
    data.update(overrides)
    return data


def test_new_clinics_call_112_and_alert_at_a_three_point_rise(clinic):
    assert (clinic.emergency_number, clinic.pain_rise_threshold) == ("112", 3)


def test_the_admin_changes_the_settings(therapist_client, clinic):
    response = therapist_client.post(URL, settings_data())
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert (clinic.emergency_number, clinic.pain_rise_threshold) == ("999", 4)
    assert AuditEvent.objects.filter(action="update", object_type="clinic").exists()


def test_bad_values_give_field_errors_and_change_nothing(therapist_client, clinic):
    response = therapist_client.post(
        URL, settings_data(emergency_number="call us", pain_rise_threshold=0)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"emergency_number", "pain_rise_threshold"} <= set(errors)
    clinic.refresh_from_db()
    assert clinic.emergency_number == "112"


def test_a_therapist_who_is_not_an_admin_is_refused(client, colleague, clinic):
    client.force_login(colleague)
    assert client.get(URL).status_code == 403
    assert client.post(URL, settings_data()).status_code == 403
    clinic.refresh_from_db()
    assert clinic.emergency_number == "112"


def test_it_refuses_the_wrong_method(therapist_client):
    assert therapist_client.put(URL).status_code == 405


def test_it_sends_anonymous_visitors_to_the_login(client):
    assert client.get(URL)["Location"].startswith("/accounts/login/")


def test_another_clinics_admin_changes_only_their_own_clinic(stranger_client, clinic, other_clinic):
    stranger_client.post(URL, settings_data(emergency_number="911"))
    clinic.refresh_from_db()
    other_clinic.refresh_from_db()
    assert (clinic.emergency_number, other_clinic.emergency_number) == ("112", "911")


def test_the_urgent_page_uses_the_clinics_number(patient_client, patient, clinic, prescription):
    clinic.emergency_number = "999"
    clinic.save()
    record_red_flag_check(patient=patient, answered_yes=["cancer"])
    content = patient_client.get(reverse("portal:urgent")).content.decode()
    assert 'href="tel:999"' in content


def test_the_admin_sets_the_adherence_threshold_within_0_to_100(therapist_client, clinic):
    assert clinic.adherence_alert_percent == 50
    response = therapist_client.post(URL, settings_data(adherence_alert_percent=101))
    assert response.status_code == 400
    assert "adherence_alert_percent" in response.context["form"].errors
    therapist_client.post(URL, settings_data(adherence_alert_percent=60))
    clinic.refresh_from_db()
    assert clinic.adherence_alert_percent == 60
