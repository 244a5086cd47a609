"""A Spanish-speaking patient on a phone, from sign-in to progress, never meets an
English word: the visible text of every page is checked against the English catalog."""

import re

import polib
import pytest

from exercises.models import Exercise
from tests.browser.conftest import assert_accessible
from tests.factories import make_prescription
from tests.i18n.catalogs import committed_po

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{?\s*\w+\s*\}?\}|%[sd]")


def english_phrases() -> list[str]:
    """English texts a Spanish page must not show: every msgid whose Spanish differs
    (the literal parts of those with placeholders), and the catalog's English names."""
    phrases = set()
    for entry in polib.pofile(str(committed_po("es"))):
        if entry.obsolete or not entry.translated():
            continue
        spanish = entry.msgstr or entry.msgstr_plural.get(0, "")
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            if english == spanish:
                continue
            for part in PLACEHOLDER.split(english):
                part = part.strip(" .,:;\u2013-()\n")
                if len(part) >= 4 and re.search(r"[A-Za-z]{3}", part):
                    phrases.add(part)
    phrases.update(Exercise.objects.filter(clinic=None).values_list("name_en", flat=True))
    return sorted(phrases)


def english_on(page, phrases: list[str]) -> list[str]:
    text = " ".join(page.inner_text("body").split())
    return [p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]


@pytest.fixture
def spanish_phone(browser, live_server):
    """A 375 px phone whose browser asks for Spanish, as a phone set to Spanish does."""
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="es-ES",
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def test_a_spanish_patient_meets_no_english_from_sign_in_to_progress(
    spanish_phone, clinic, patient, therapist, password
):
    clinic.phone = "020 7946 0000"
    clinic.save(update_fields=["phone"])
    patient.preferred_language = "es"
    patient.save(update_fields=["preferred_language"])
    make_prescription(patient, therapist, first=3)
    phrases = english_phrases()
    assert {"Sign in", "Log how it went", "Stop doing", "Prone lying"} <= set(phrases)
    phone = spanish_phone

    def check_page() -> None:
        assert english_on(phone, phrases) == [], phone.url
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        assert phone.locator("html").get_attribute("lang") == "es"

    phone.goto("/accounts/login/")
    assert phone.get_by_role("heading", name="Iniciar sesión").is_visible()
    check_page()
    phone.get_by_label("Nombre de usuario o correo electrónico").fill("paula")
    phone.get_by_label("Contraseña").fill(password)
    phone.get_by_role("button", name="Iniciar sesión").click()

    phone.wait_for_url("**/portal/")
    assert phone.get_by_role("heading", name="Hola, Paula").is_visible()
    assert phone.get_by_text("Túmbese boca abajo sobre una superficie firme").is_visible()
    check_page()
    assert_accessible(phone)

    name = "Boca abajo sobre los codos (extensión en decúbito prono)"
    phone.get_by_role("link", name=f"Registrar cómo ha ido: {name}", exact=True).click()
    assert phone.get_by_role(
        "heading", name="Antes de empezar: un breve control de seguridad"
    ).is_visible()
    check_page()
    for question in phone.locator("fieldset").all():
        question.get_by_role("radio", name="No", exact=True).check()
    phone.get_by_role("button", name="Continuar").click()

    assert phone.get_by_role("heading", name=f"¿Cómo ha ido? {name}").is_visible()
    check_page()
    phone.get_by_role("radio", name="6", exact=True).check()
    phone.get_by_role("radio", name="Hasta la nalga", exact=True).check()
    phone.get_by_role(
        "radio", name="El dolor se extendió más abajo por la pierna o hacia la nalga"
    ).check()
    phone.get_by_role("radio", name="Ningún cambio", exact=True).check()
    for question in phone.locator(".question--nerves .question--yesno").all():
        question.get_by_role("radio", name="No", exact=True).check()
    phone.get_by_role("button", name="Guardar cómo ha ido").click()

    stop = phone.get_by_role("alert")
    assert stop.get_by_role("heading", name=f"Deje de hacer el ejercicio «{name}»").is_visible()
    assert phone.get_by_role("link", name="Contacte con la clínica: 020 7946 0000").is_visible()
    check_page()
    assert_accessible(phone)

    phone.get_by_role("link", name="Mi evolución").click()
    phone.get_by_role("heading", name="Mi evolución").wait_for()
    assert phone.get_by_text("El dolor se extendió más abajo por la pierna").first.is_visible()
    check_page()
