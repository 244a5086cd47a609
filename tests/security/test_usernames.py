"""A username may not be another account's email address: sign-in tries the
username first, so such a name would take that person's email sign-in away."""

from django.urls import reverse

from tests.factories import make_patient, make_therapist, make_user, sign_in_verified

NEW_PASSWORD = "lumbar-roll-sunrise-81"


def test_a_patient_cannot_activate_with_another_accounts_email_as_username(
    client, clinic, therapist, other_clinic, password
):
    patient = make_patient(clinic)
    nora = make_therapist(other_clinic, "nora")
    nora.email = "nora@northgate.example"
    nora.save()
    _, token = patient.invite(by=therapist)
    url = reverse("portal:activate", args=[token])

    page = client.post(
        url,
        {
            "username": "NORA@northgate.example",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert page.status_code == 400
    assert "another account&#x27;s email address" in page.content.decode()
    patient.refresh_from_db()
    assert patient.user is None
    # Nora still signs in with her email.
    response = client.post(
        reverse("login"), {"username": "nora@northgate.example", "password": password}
    )
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("patients:list")


def test_the_activation_page_does_not_suggest_another_accounts_email(client, patient, therapist):
    someone = make_user("someone")
    someone.email = patient.email  # another account with the patient's address
    someone.save()
    _, token = patient.invite(by=therapist)
    page = client.get(reverse("portal:activate", args=[token]))
    assert f'value="{patient.email}"' not in page.content.decode()


def test_the_admin_refuses_a_username_that_is_another_accounts_email(client, therapist, db):
    staff = make_user("root", is_staff=True, is_superuser=True)
    sign_in_verified(client, staff)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": therapist.email,
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "another account" in response.content.decode()
    assert not type(therapist).objects.filter(username=therapist.email).exists()

    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new-therapist",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
