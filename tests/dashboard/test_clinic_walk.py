"""What a walk through the dashboard as a clinician turned up: an urgent alert read
before a suggestion to change the program, a search that survives a stale sort, and a
corrected email that reaches the patient's login."""

from django.core import mail
from django.urls import reverse

from exercises.models import Exercise
from prescriptions.models import RedFlag
from prescriptions.services import ItemSpec, create_prescription, record_red_flag_check
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


def test_the_program_in_use_names_the_side_of_a_one_sided_exercise(
    therapist_client, therapist, patient
):
    glide = Exercise.objects.builtin().get(slug="standing-side-glide")
    create_prescription(
        patient=patient,
        by=therapist,
        items=[ItemSpec.from_exercise(glide, side="left")],
        activate=True,
    )

    response = therapist_client.get(f"/patients/{patient.pk}/")

    program = response.content.decode().split('id="program"')[1].split("</section>")[0]
    assert "Side: left" in program


def test_registering_a_second_patient_with_the_same_email_warns_but_registers(
    therapist_client, clinic
):
    make_patient(clinic, first_name="Maria", last_name="Gonzalez", email="family@example.test")
    data = {
        "first_name": "Lucas",
        "last_name": "Gonzalez",
        "email": "Family@Example.test",
        "preferred_language": "en",
    }

    response = therapist_client.post("/patients/new/", data, follow=True)

    content = response.content.decode()
    assert "Lucas Gonzalez is registered" in content
    assert "Maria Gonzalez has the same email address" in content


def test_a_patient_with_an_email_of_their_own_gets_no_warning(therapist_client, clinic):
    make_patient(clinic, email="someone@example.test")
    data = {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@example.test"}
    data["preferred_language"] = "en"

    content = therapist_client.post("/patients/new/", data, follow=True).content.decode()

    assert "has the same email address" not in content


def test_correcting_the_email_voids_the_link_sent_to_the_wrong_address(therapist_client, clinic):
    invited = make_patient(clinic, first_name="Ana", last_name="Ruiz", email="typo@example.test")
    invitation, _token = invited.invite(by=None)
    data = {
        "first_name": "Ana",
        "last_name": "Ruiz",
        "email": "ana@example.test",
        "preferred_language": "en",
    }

    response = therapist_client.post(reverse("patients:edit", args=[invited.pk]), data, follow=True)

    invitation.refresh_from_db()
    assert invitation.voided_at is not None
    assert "The portal link sent to the previous address no longer works" in (
        response.content.decode()
    )
