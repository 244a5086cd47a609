"""Who reads Centra in which language: the patient's preferred language for the
portal, their emails and their handout; the therapist's own choice for the dashboard;
the browser's Accept-Language before sign-in; English for the API unless asked."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from exercises.models import Exercise
from handouts.pdf import handout_pdf
from tests.factories import make_patient, make_prescription
from tests.handouts.pdfs import pdf_text

LANGUAGE_PAGE = reverse("dashboard:language")


@pytest.fixture
def spanish_patient(patient):
    patient.preferred_language = "es"
    patient.save(update_fields=["preferred_language"])
    return patient


def test_the_sign_in_page_follows_the_browsers_language(client, db):
    spanish = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert "Iniciar sesión" in spanish.content.decode()
    assert spanish["Content-Language"] == "es"
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB")
    assert "Sign in" in english.content.decode()


@pytest.mark.hazard("H-09")
def test_a_spanish_patient_reads_the_portal_in_spanish_whatever_the_browser_says(
    client, spanish_patient, prescription
):
    client.force_login(spanish_patient.user)
    response = client.get(reverse("portal:today"), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert response["Content-Language"] == "es"
    assert "Hola, Paula" in content
    assert "Boca abajo (decúbito prono)" in content
    assert "Túmbese boca abajo" in content
    assert "Prone lying" not in content


def test_an_english_patient_reads_english_in_a_spanish_browser(patient_client, prescription):
    response = patient_client.get(reverse("portal:today"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Hello, Paula" in response.content.decode()


def test_a_therapist_chooses_spanish_for_the_dashboard(therapist_client, therapist):
    response = therapist_client.post(LANGUAGE_PAGE, {"language": "es"}, follow=True)
    assert response.redirect_chain == [(LANGUAGE_PAGE, 302)]
    assert "Se ha guardado el idioma de su panel." in response.content.decode()
    therapist.therapist.refresh_from_db()
    assert therapist.therapist.language == "es"
    page = therapist_client.get(reverse("patients:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Pacientes" in page.content.decode() and "Cerrar sesión" in page.content.decode()


def test_a_therapist_without_a_choice_follows_the_browser(therapist_client):
    page = therapist_client.get(reverse("patients:list"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Cerrar sesión" in page.content.decode()


def test_the_language_form_refuses_a_language_that_is_not_offered(therapist_client, therapist):
    response = therapist_client.post(LANGUAGE_PAGE, {"language": "fr"})
    assert response.status_code == 400
    therapist.therapist.refresh_from_db()
    assert therapist.therapist.language == ""


def test_the_language_page_refuses_other_methods(therapist_client):
    assert therapist_client.put(LANGUAGE_PAGE).status_code == 405


def test_the_language_page_asks_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get(LANGUAGE_PAGE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_patient_cannot_post_a_dashboard_language(patient_client, patient):
    assert patient_client.post(LANGUAGE_PAGE, {"language": "es"}).status_code == 403


def test_the_api_stays_english_for_a_spanish_therapist(therapist_client, therapist):
    therapist.therapist.language = "es"
    therapist.therapist.save()
    response = therapist_client.post(
        "/api/v1/patients/", {"first_name": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "This field" in response.content.decode()
    assert response["Content-Language"] == "en"


def test_the_api_answers_spanish_errors_on_request(therapist_client):
    response = therapist_client.post(
        "/api/v1/patients/",
        {"first_name": ""},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 400
    assert "Este campo" in response.content.decode()


def test_the_invitation_email_is_in_spanish(therapist_client, clinic, settings):
    settings.SITE_URL = "https://centra.example"
    patient = make_patient(
        clinic, first_name="Lucía", email="lucia@example.test", preferred_language="es"
    )
    therapist_client.post(reverse("patients:invite", kwargs={"pk": patient.pk}))
    (email,) = mail.outbox
    assert email.subject == "Su programa de ejercicios en Harbour Physio"
    assert email.body.startswith("Hola, Lucía:")
    assert "ha preparado su programa de ejercicios en casa" in email.body
    assert "https://centra.example/portal/activate/" in email.body
    # Inside a sentence, the date names its month in full, as Spanish writes it.
    # ("caduca el 21 de diciembre de 2026.", not "21 dic 2026").
    assert re.search(r"caduca el \d{1,2} de [a-z]+ de \d{4}\.", email.body)
    assert "expires" not in email.body and "Hello" not in email.body


def test_the_password_reset_email_is_in_the_patients_language(client, spanish_patient):
    spanish_patient.user.email = "paula@example.test"
    spanish_patient.user.save()
    client.post(
        reverse("password_reset"), {"email": "paula@example.test"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    (email,) = mail.outbox
    assert email.subject == "Elija una contraseña nueva de Centra"
    assert "Alguien, esperamos que usted" in email.body


@pytest.mark.hazard("H-09")
def test_the_spanish_handout_reads_in_spanish(spanish_patient, therapist):
    program = make_prescription(spanish_patient, therapist, first=3)
    text = pdf_text(handout_pdf(program))
    assert "Su programa de ejercicios en casa" in text
    # Steps, with the prescribed numbers in Spanish words.
    assert "Túmbese boca abajo sobre una superficie firme" in text
    assert "Permanezca así durante el tiempo que le indicó su fisioterapeuta" in text
    assert "Subir con los brazos" in text
    assert re.search(r"\d+ repeticiones", text)
    # The stop rules and the urgent signs.
    assert "Pare y contacte con su fisioterapeuta si:" in text
    assert "El dolor se extiende desde la columna hacia la nalga, el muslo o la pierna." in text
    assert "Busque atención médica urgente ya" in text
    assert "Contacte hoy con su médico o con su clínica" in text
    assert "debilidad que va a peor" in text
    for english in ("Prone lying", "Stop and contact", "times", "hold", "Your exercises"):
        assert english not in text


def test_a_clinic_exercise_can_carry_a_spanish_text(therapist_client, clinic):
    response = therapist_client.post(
        reverse("exercises:create"),
        {
            "name": "Pelvic tilt",
            "position": "supine",
            "direction": "flexion",
            "steps_text": "Lie on your back.\nTilt your pelvis {repetitions}.",
            "purpose": "Gentle movement.",
            "cautions": "Stop if the pain spreads.",
            "default_sets": 1,
            "default_repetitions": 10,
            "default_hold_seconds": 0,
            "default_frequency": "per_day",
            "default_frequency_value": 3,
            "name_es": "Basculación pélvica",
            "steps_es": "Túmbese boca arriba.\nBascule la pelvis {repetitions}.",
            "purpose_es": "",
            "cautions_es": "",
        },
    )
    assert response.status_code == 302
    exercise = Exercise.objects.get(clinic=clinic)
    assert (exercise.name_en, exercise.name_es) == ("Pelvic tilt", "Basculación pélvica")
    assert exercise.steps_es == ["Túmbese boca arriba.", "Bascule la pelvis {repetitions}."]
    assert exercise.purpose_es is None


def test_a_clinic_exercise_without_spanish_falls_back_to_the_clinics_text(clinic):
    from django.utils import translation

    exercise = Exercise.objects.create(
        clinic=clinic,
        slug="pelvic-tilt",
        name_en="Pelvic tilt",
        steps_en=["Lie on your back."],
        purpose_en="Gentle movement.",
        cautions_en="Stop if the pain spreads.",
        position="supine",
        direction="flexion",
        default_sets=1,
        default_repetitions=10,
        default_hold_seconds=0,
        default_times_per_day=3,
    )
    with translation.override("es"):
        exercise.refresh_from_db()
        assert exercise.name == "Pelvic tilt"
        assert exercise.steps == ["Lie on your back."]


def test_a_missing_page_is_explained_in_the_patients_language(client, spanish_patient, settings):
    settings.DEBUG = False
    client.force_login(spanish_patient.user)
    response = client.get("/portal/no-such-page/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_the_invitation_link_opens_in_the_patients_language(client, clinic, therapist):
    patient = make_patient(clinic, first_name="Lucía", preferred_language="es")
    _invitation, token = patient.invite(by=therapist)
    response = client.get(
        reverse("portal:activate", kwargs={"token": token}), HTTP_ACCEPT_LANGUAGE="en"
    )
    content = response.content.decode()
    assert "Le damos la bienvenida, Lucía" in content
    assert "Crear mi acceso" in content


def test_a_spanish_patients_warning_reaches_the_clinic_in_the_sites_language(
    client, spanish_patient, prescription
):
    from prescriptions.models import Alert, NeuroSymptom
    from prescriptions.services import record_red_flag_check

    record_red_flag_check(patient=spanish_patient, answered_yes=[])
    client.force_login(spanish_patient.user)
    item = prescription.items.order_by("position").first()
    response = client.post(
        reverse("portal:log", kwargs={"item_id": item.pk}),
        {
            "sets_done": 1,
            "repetitions_done": 1,
            "pain": 6,
            "location": "buttock",
            "during": "peripheralize",
            "after": "no_effect",
            **{f"neuro_{code}": "no" for code in NeuroSymptom.values},
        },
        follow=True,
    )
    assert "Deje de hacer" in response.content.decode()
    alert = Alert.objects.get(patient=spanish_patient)
    assert alert.message.startswith("Prone lying: ")
    assert "Peripheralization" in alert.message
