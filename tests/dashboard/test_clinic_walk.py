"""What a walk through the dashboard as a clinician turned up: an urgent alert read
before a suggestion to change the program, a search that survives a stale sort, and a
corrected email that reaches the patient's login."""

from django.core import mail
from django.urls import reverse

from prescriptions.models import RedFlag
from prescriptions.services import record_red_flag_check
from tests.factories import make_patient
from tests.suggestion_factory import make_ready_to_progress


def test_an_urgent_alert_comes_before_a_suggestion_to_progress(
    therapist_client, therapist, patient
):
    make_ready_to_progress(patient, therapist)
    record_red_flag_check(patient=patient, answered_yes=[RedFlag.SADDLE_NUMBNESS])

    content = therapist_client.get(f"/patients/{patient.pk}/").content.decode()

    assert 'id="alerts"' in content and 'id="suggestion"' in content
    assert content.index('id="alerts"') < content.index('id="suggestion"')


def test_an_unknown_sort_keeps_the_search(therapist_client, clinic):
    make_patient(clinic, first_name="Maria", last_name="Gonzalez")
    make_patient(clinic, first_name="Tom", last_name="Becker")

    response = therapist_client.get("/patients/", {"q": "maria", "sort": "recent"})

    assert response.status_code == 200
    assert [p.full_name for p in response.context["page"]] == ["Maria Gonzalez"]


def test_a_corrected_email_on_the_record_reaches_the_portal_login(
    therapist_client, client, patient, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    old = patient.user.email
    form = therapist_client.get(reverse("patients:edit", args=[patient.pk])).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and name != "large_print"
    }
    data.update(email="paula.right@example.test", wake_start="08:00", wake_end="20:00")

    response = therapist_client.post(reverse("patients:edit", args=[patient.pk]), data)

    assert response.status_code == 302
    patient.user.refresh_from_db()
    assert patient.user.email == "paula.right@example.test"
    client.post(reverse("password_reset"), {"email": old})
    assert mail.outbox == []  # the old address no longer reaches the account
