"""What the audit log records: sign-ins and their failures, password changes,
the admin's reads and writes of patient data; and what nobody may delete."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from clinics.models import AuditEvent
from patients.models import Patient
from tests.factories import PASSWORD, sign_in_verified

LOGIN = "/accounts/login/"


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_sign_in_and_sign_out_are_recorded_in_the_clinics_log(client, therapist, clinic):
    client.post(LOGIN, {"username": "TESS@example.test", "password": PASSWORD})
    client.post(reverse("logout"))

    (login,) = events("login")
    (logout,) = events("logout")
    assert (login.actor, login.clinic, login.actor_label) == (therapist, clinic, "tess")
    assert (logout.actor, logout.clinic) == (therapist, clinic)


def test_a_patients_sign_in_is_in_their_clinics_log(client, patient, clinic):
    client.post(LOGIN, {"username": "paula", "password": PASSWORD})
    (login,) = events("login")
    assert (login.actor, login.clinic) == (patient.user, clinic)


def test_failed_sign_ins_and_the_lockout_are_recorded_with_what_was_typed(
    client, therapist, clinic
):
    for _attempt in range(5):
        client.post(LOGIN, {"username": "Tess@Example.test", "password": "wrong"})
    client.post(LOGIN, {"username": "tess", "password": PASSWORD})

    failed = events("login_failed")
    assert len(failed) >= 5
    assert all(e.actor == therapist and e.clinic == clinic for e in failed)
    assert failed[0].detail == {"typed": "Tess@Example.test"}
    assert "wrong" not in str([e.detail for e in failed])
    assert events("lockout")
    assert events("lockout")[0].actor == therapist
    assert not events("login")


def test_a_failed_sign_in_for_an_unknown_name_is_recorded_without_a_clinic(client, db):
    client.post(LOGIN, {"username": "nobody", "password": "x"})
    (failed,) = events("login_failed")
    assert (failed.actor, failed.clinic, failed.actor_label) == (None, None, "nobody")


def test_a_password_change_is_recorded(therapist_client, therapist):
    therapist_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-pass-77",
            "new_password2": "a-new-long-pass-77",
        },
    )
    (event,) = events("password")
    assert (event.actor, event.detail) == (therapist, {"how": "changed"})


def test_a_password_reset_is_recorded(client, therapist):
    client.post(reverse("password_reset"), {"email": therapist.email})
    site = re.escape(settings.SITE_URL)
    link = re.search(site + r"(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-pass-77", "new_password2": "a-new-long-pass-77"},
    )
    (event,) = events("password")
    assert (event.actor, event.detail) == (therapist, {"how": "reset"})


@pytest.fixture
def admin_client(client, therapist):
    therapist.is_staff = therapist.is_superuser = True
    therapist.save()
    sign_in_verified(client, therapist)
    return client


def test_reading_a_patient_in_the_admin_is_recorded(admin_client, patient):
    admin_client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    admin_client.get(reverse("admin:patients_patient_changelist"))
    viewed = events("view")
    assert [(e.object_type, e.patient_id, e.detail.get("source")) for e in viewed] == [
        ("patient", patient.pk, "admin"),
        ("patient", None, "admin"),
    ]


def test_changing_and_deleting_a_patient_in_the_admin_is_recorded(admin_client, clinic):
    patient = Patient.objects.create(clinic=clinic, first_name="Del", last_name="Eted")
    admin_client.post(reverse("admin:patients_patient_delete", args=[patient.pk]), {"post": "yes"})
    assert not Patient.objects.filter(pk=patient.pk).exists()
    (deleted,) = events("delete")
    assert (deleted.object_type, deleted.object_id, deleted.clinic) == (
        "patient",
        str(patient.pk),
        clinic,
    )


@pytest.mark.parametrize(
    "model", ["clinics_auditevent", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"]
)
def test_nobody_can_delete_audit_or_sign_in_history_in_the_admin(admin_client, model):
    changelist = admin_client.get(reverse(f"admin:{model}_changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    assert admin_client.get(reverse(f"admin:{model}_delete", args=[1])).status_code in (
        302,
        403,
        404,
    )


def test_the_delete_page_of_an_audit_event_or_sign_in_attempt_is_refused(
    admin_client, client, patient, therapist
):
    from axes.models import AccessAttempt

    from clinics.models import audit

    event = audit(action="view", target=patient, actor=therapist)
    assert (
        admin_client.get(reverse("admin:clinics_auditevent_delete", args=[event.pk])).status_code
        == 403
    )
    admin_client.logout()
    client.post(LOGIN, {"username": "tess", "password": "wrong"})
    attempt = AccessAttempt.objects.get()
    sign_in_verified(admin_client, therapist)
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
