"""A clinic administrator sets the emergency number, the pain-rise threshold and
what the handout prints (address, email, website, logo)."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from clinics.models import AuditEvent
from prescriptions.services import record_red_flag_check

URL = reverse("dashboard:clinic_settings")


def settings_data(**overrides):
    data = {
        "phone": "020 7946 0000",
        "emergency_number": "999",
        "pain_rise_threshold": 4,
        "inactivity_alert_days": 3,
        "outcome_interval_days": 14,
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
    assert clinic.outcome_interval_days == 14
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


def png(width=300, height=100) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_admin_sets_what_the_handout_prints(therapist_client, clinic, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Bytes after the image end are not kept: the logo is drawn again by Pillow.
    upload = SimpleUploadedFile("logo.png", png() + b"<script>x</script>", "image/png")
    response = therapist_client.post(
        URL,
        settings_data(
            email="hello@harbour.example",
            website="www.harbour.example",
            address="12 Quay Street\nPortsmouth",
            logo=upload,
        ),
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.email == "hello@harbour.example"
    assert clinic.website == "https://www.harbour.example"
    assert clinic.address == "12 Quay Street\nPortsmouth"
    stored = Path(clinic.logo.path).read_bytes()
    assert b"<script>" not in stored
    assert Image.open(io.BytesIO(stored)).size == (300, 100)
    assert "logo.png" not in clinic.logo.name, "stored under a name of our own"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.svg"),
        (b"GIF89a not really", "logo.png"),
        (b"%PDF-1.7", "logo.pdf"),
    ],
)
def test_a_logo_that_is_not_a_picture_is_a_form_error(
    therapist_client, clinic, settings, tmp_path, content, name
):
    settings.MEDIA_ROOT = tmp_path
    response = therapist_client.post(
        URL, settings_data(logo=SimpleUploadedFile(name, content, "image/png"))
    )
    assert response.status_code == 400
    assert "logo" in response.context["form"].errors
    clinic.refresh_from_db()
    assert not clinic.logo
    assert clinic.emergency_number == "112", "nothing saved"


def test_a_gif_logo_is_refused_with_the_formats_we_take(
    therapist_client, clinic, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "teal").save(buffer, format="GIF")
    response = therapist_client.post(
        URL, settings_data(logo=SimpleUploadedFile("logo.gif", buffer.getvalue(), "image/gif"))
    )
    assert response.status_code == 400
    assert "Upload a PNG, JPEG or WebP picture." in response.content.decode()


def test_the_django_admin_checks_the_logo_the_same_way(admin_client, clinic, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("admin:clinics_clinic_change", args=[clinic.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields if name != "logo"}
    data.update({"therapists-TOTAL_FORMS": 0, "therapists-INITIAL_FORMS": 0})
    data["logo"] = SimpleUploadedFile("logo.svg", b"<svg/>", "image/svg+xml")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "logo" in response.context["adminform"].form.errors
    clinic.refresh_from_db()
    assert not clinic.logo


def test_outcome_measures_cannot_be_asked_more_often_than_weekly(therapist_client, clinic):
    response = therapist_client.post(URL, settings_data(outcome_interval_days=3))
    assert response.status_code == 400
    assert "outcome_interval_days" in response.context["form"].errors
    clinic.refresh_from_db()
    assert clinic.outcome_interval_days == 14


def test_the_admin_sets_the_adherence_threshold_within_0_to_100(therapist_client, clinic):
    assert clinic.adherence_alert_percent == 50
    response = therapist_client.post(URL, settings_data(adherence_alert_percent=101))
    assert response.status_code == 400
    assert "adherence_alert_percent" in response.context["form"].errors
    therapist_client.post(URL, settings_data(adherence_alert_percent=60))
    clinic.refresh_from_db()
    assert clinic.adherence_alert_percent == 60
