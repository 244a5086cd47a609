"""A patient's account matters from the portal: the Account menu offers a password
change, and the pages stay in the portal's chrome, not the therapist's dashboard."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_account_menu_offers_a_password_change(patient_client):
    content = patient_client.get(reverse("portal:today")).content.decode()
    menu = content[content.index('class="portal-account"') :]
    assert f'href="{reverse("password_change")}"' in menu[: menu.index("</details>")]


def test_a_patient_changes_their_password_inside_the_portal(patient_client, patient, password):
    page = patient_client.get(reverse("password_change")).content.decode()
    assert "Change your password" in page
    assert 'class="nav portal-nav"' in page
    assert "supports your therapist's judgement" in page
    assert "supports your clinical judgement" not in page
    response = patient_client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "a-much-longer-phrase-77",
            "new_password2": "a-much-longer-phrase-77",
        },
        follow=True,
    )
    done = response.content.decode()
    assert "Password changed" in done
    assert 'class="nav portal-nav"' in done
    patient.user.refresh_from_db()
    assert patient.user.check_password("a-much-longer-phrase-77")


def test_a_therapist_keeps_the_dashboard_chrome(therapist_client):
    page = therapist_client.get(reverse("password_change")).content.decode()
    assert "portal-nav" not in page
    assert "supports your clinical judgement" in page
