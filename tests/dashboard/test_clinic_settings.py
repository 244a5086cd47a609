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
        "reference_days": 3,
        "inactivity_alert_days": 3,
        "outcome_interval_days": 14,
        "adherence_alert_percent": 50,
        "opens_at": "08:00",
        "closes_at": "18:00",
        "open_days": ["1", "2", "3", "4", "5"],
        "urgent_escalation_hours": 2,
        "progression_good_days": 2,
        "progression_unchanged_days": 3,
        "progression_pain_free_days": 3,
    }
    data.update(overrides)
    return data


def test_new_clinics_call_112_and_alert_at_a_three_point_rise(clinic):
    assert (clinic.emergency_number, clinic.pain_rise_threshold) == ("112", 3)


def test_the_admin_sets_how_many_days_a_held_location_stays_the_reference(therapist_client, clinic):
    assert clinic.reference_days == 3
    response = therapist_client.post(URL, settings_data(reference_days=5))
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.reference_days == 5


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


def test_the_admin_sets_the_day_counts_of_the_progression_suggestions(therapist_client, clinic):
    page = therapist_client.get(URL).text
    assert "No published source gives these day counts" in page

    response = therapist_client.post(
        URL,
        settings_data(
            progression_good_days=4, progression_unchanged_days=5, progression_pain_free_days=7
        ),
    )

    assert response.status_code == 302
    clinic.refresh_from_db()
    assert (
        clinic.progression_good_days,
        clinic.progression_unchanged_days,
        clinic.progression_pain_free_days,
    ) == (4, 5, 7)


def test_a_day_count_out_of_range_is_refused_with_the_range(therapist_client, clinic):
    response = therapist_client.post(URL, settings_data(progression_pain_free_days=0))

    assert response.status_code == 400
    assert response.context["form"].errors["progression_pain_free_days"] == [
        "Enter a whole number from 1 to 30."
    ]
    clinic.refresh_from_db()
    assert clinic.progression_pain_free_days == 3


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
    record_red_flag_check(patient=patient, answered_yes=["bladder_bowel"])
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


def test_a_phone_that_is_not_a_number_is_a_field_error(therapist_client, clinic):
    response = therapist_client.post(URL, settings_data(phone="ask at reception"))

    assert response.status_code == 400
    assert "Enter the phone number only: digits" in response.content.decode()
    assert set(response.context["form"].errors) == {"phone"}
    clinic.refresh_from_db()
    assert clinic.phone != "ask at reception"


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("555 01", "A phone number has at least 6 digits."),
        ("+1 234 567 890 123 456", "A phone number has at most 15 digits."),
        ("020 7946 0000 ext 12", "Enter the phone number only"),
        ("020+7946", "Enter the phone number only"),
    ],
)
def test_a_phone_too_short_too_long_or_with_other_signs_is_refused(
    therapist_client, clinic, phone, message
):
    response = therapist_client.post(URL, settings_data(phone=phone))

    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("phone", "link"),
    [
        ("+44 20 7946 0000", "tel:+442079460000"),
        ("(020) 7946-0000", "tel:02079460000"),
        ("555.010.0123", "tel:5550100123"),
    ],
)
def test_a_phone_written_with_separators_is_saved_and_dialled_as_digits(
    therapist_client, clinic, phone, link
):
    response = therapist_client.post(URL, settings_data(phone=phone))

    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.phone == phone
    assert clinic.phone_link == link


def test_a_phone_stored_before_it_was_checked_makes_no_call_link(clinic):
    clinic.phone = "ask at reception"

    assert clinic.phone_link == ""


def test_an_emergency_number_takes_a_plus_in_front_only(therapist_client, clinic):
    response = therapist_client.post(URL, settings_data(emergency_number="1+12"))

    assert response.status_code == 400
    assert "Enter the number as digits, e.g. 112." in response.content.decode()
    clinic.emergency_number = "+1 911"
    assert clinic.emergency_link == "tel:+1911"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("inactivity_alert_days", 100000, "Enter a whole number from 1 to 90."),
        ("inactivity_alert_days", 0, "Enter a whole number from 1 to 90."),
        ("pain_rise_threshold", 11, "Enter a whole number from 1 to 10."),
        ("reference_days", 15, "Enter a whole number from 1 to 14."),
        ("outcome_interval_days", 91, "Enter a whole number from 7 to 90."),
        ("adherence_alert_percent", 101, "Enter a whole number from 0 to 100."),
    ],
)
def test_a_number_setting_out_of_its_range_names_the_range(
    therapist_client, clinic, field, value, message
):
    response = therapist_client.post(URL, settings_data(**{field: value}))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    clinic.refresh_from_db()
    assert getattr(clinic, field) != value


def test_the_number_inputs_carry_their_range(therapist_client):
    page = therapist_client.get(URL).content.decode()

    assert 'name="inactivity_alert_days" value="3" min="1" max="90"' in page


def test_ninety_days_without_a_log_is_accepted(therapist_client, clinic):
    assert therapist_client.post(URL, settings_data(inactivity_alert_days=90)).status_code == 302
    clinic.refresh_from_db()
    assert clinic.inactivity_alert_days == 90


def test_the_admin_sets_the_opening_hours_that_urgent_alerts_escalate_in(therapist_client, clinic):
    page = therapist_client.get(URL).content.decode()
    assert "Opening hours and urgent alerts" in page
    response = therapist_client.post(
        URL,
        settings_data(
            opens_at="07:30", closes_at="19:00", open_days=["6", "1"], urgent_escalation_hours=3
        ),
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert (clinic.opens_at.isoformat(), clinic.closes_at.isoformat()) == ("07:30:00", "19:00:00")
    assert (clinic.open_days, clinic.urgent_escalation_hours) == ("16", 3)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"closes_at": "07:00"}, "closes_at"),
        ({"open_days": []}, "open_days"),
        ({"open_days": ["8"]}, "open_days"),
        ({"urgent_escalation_hours": 0}, "urgent_escalation_hours"),
        ({"urgent_escalation_hours": 25}, "urgent_escalation_hours"),
    ],
)
def test_impossible_opening_hours_are_field_errors(therapist_client, clinic, change, field):
    response = therapist_client.post(URL, settings_data(**change))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    clinic.refresh_from_db()
    assert (clinic.open_days, clinic.urgent_escalation_hours) == ("12345", 2)


def test_the_admin_sets_the_clinics_time_zone_and_the_dashboard_shows_its_clock(
    therapist_client, clinic, patient, item
):
    from prescriptions.services import record_symptom_log

    page = therapist_client.get(URL).content.decode()
    assert '<option value="Asia/Kolkata">Asia/Kolkata</option>' in page
    response = therapist_client.post(URL, settings_data(time_zone="Asia/Kolkata"))
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.time_zone == "Asia/Kolkata"
    # A log stored at 14:00 UTC reads 19:30 on the dashboard of a clinic in Kolkata.
    record_symptom_log(
        patient=patient,
        item=item,
        pain=2,
        location="central",
        during="no_effect",
        after="no_worse",
        sets_done=1,
        repetitions_done=10,
    )
    detail = therapist_client.get(reverse("patients:detail", kwargs={"pk": patient.pk}))
    assert '<td class="log__time">19:30</td>' in detail.content.decode()


def test_an_unknown_time_zone_is_refused_with_a_message(therapist_client, clinic):
    response = therapist_client.post(URL, settings_data(time_zone="Mars/Olympus"))
    assert response.status_code == 400
    assert "Mars/Olympus is not a known time zone." in response.content.decode()
    clinic.refresh_from_db()
    assert clinic.time_zone == "UTC"
