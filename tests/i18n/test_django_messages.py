"""The sign-in and password pages speak our Spanish, not Django's: the msgids listed in
clinics/django_messages.py must still be Django's own for our words to replace them."""

import ast
from pathlib import Path

import django
import polib
import pytest
from django.urls import reverse

from tests.factories import PASSWORD

LISTED = Path(__file__).resolve().parents[2] / "clinics" / "django_messages.py"
DJANGO = Path(django.__file__).parent


def listed_msgids() -> list[str]:
    calls = [node for node in ast.walk(ast.parse(LISTED.read_text())) if isinstance(node, ast.Call)]
    return [call.args[0].value for call in calls if call.args]


def django_msgids() -> set[str]:
    found = set()
    for po in (
        DJANGO / "conf" / "locale" / "es" / "LC_MESSAGES" / "django.po",
        DJANGO / "contrib" / "auth" / "locale" / "es" / "LC_MESSAGES" / "django.po",
    ):
        found |= {entry.msgid for entry in polib.pofile(str(po))}
    return found


def test_every_listed_message_is_still_one_of_djangos():
    assert set(listed_msgids()) - django_msgids() == set()


def test_a_wrong_password_is_explained_in_plain_spanish(client, patient):
    response = client.post(
        reverse("login"),
        {"username": patient.user.username, "password": "not-the-password"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    page = response.content.decode()
    assert "Los datos de acceso no son correctos" in page
    assert "Por favor, introduzca" not in page


@pytest.fixture
def spanish_patient_client(client, patient):
    patient.preferred_language = "es"
    patient.save(update_fields=["preferred_language"])
    client.force_login(patient.user)
    return client


def test_the_password_change_page_asks_for_the_current_password_in_plain_spanish(
    spanish_patient_client,
):
    page = spanish_patient_client.get(reverse("password_change")).content.decode()
    assert "Contraseña actual" in page and "Repita la contraseña nueva" in page
    assert "Contraseña antigua" not in page
    assert "la misma contraseña anterior" not in page


def test_password_rules_are_explained_in_plain_spanish(spanish_patient_client):
    response = spanish_patient_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    page = response.content.decode()
    assert "Esta contraseña solo tiene números." in page
    assert "utilizada comúnmente" not in page
