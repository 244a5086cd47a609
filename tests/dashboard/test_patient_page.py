"""The patient page: program, versions, symptom timeline and chart, alerts, portal."""

import pytest
from django.urls import reverse

from clinics.models import AuditEvent
from prescriptions.services import ItemSpec, revise_prescription, start_revision


def url(patient) -> str:
    return reverse("patients:detail", kwargs={"pk": patient.pk})


def test_it_shows_the_program_in_use_with_its_dosage(therapist_client, patient, prescription):
    content = therapist_client.get(url(patient)).content.decode()
    assert "Program in use" in content
    assert "Extension progression" in content
    first = prescription.items.order_by("position").first()
    assert first.exercise.name in content
    assert first.dosage_text in content
    assert "Revise program" in content


def test_it_offers_to_build_a_program_when_there_is_none(therapist_client, patient):
    content = therapist_client.get(url(patient)).content.decode()
    assert "No program in use." in content
    assert reverse("prescriptions:new", kwargs={"patient_pk": patient.pk}) in content


def test_it_lists_every_version_with_what_replaced_what(
    therapist_client, therapist, patient, prescription
):
    items = [ItemSpec.from_item(item) for item in prescription.items.all()][:3]
    revise_prescription(prescription=prescription, items=items, by=therapist, change_note="Less")
    draft = start_revision(prescription=patient.prescriptions.get(version=2), by=therapist)
    content = therapist_client.get(url(patient)).content.decode()
    for version in (1, 2, 3):
        assert f"Version {version}</a>" in content
    assert "Ended" in content and "Active" in content and "Draft" in content
    assert "Less" in content
    assert reverse("prescriptions:edit", kwargs={"pk": draft.pk}) in content


def test_it_shows_the_logs_in_mdt_terms_and_the_chart(therapist_client, patient, item, add_log):
    add_log(patient, item, days_ago=2, pain=6, location="thigh", during="peripheralize")
    add_log(patient, item, days_ago=0.1, pain=2, location="central", note="Easier today")
    content = therapist_client.get(url(patient)).content.decode()
    assert "Peripheralize" in content and "Centralize" in content
    assert "Centre of the low back" in content and "Thigh" in content
    assert "Easier today" in content
    assert '<svg class="symptom-chart"' in content
    assert "The pain has centralized." in content
    assert "Thigh → Centre of the low back" in content


def test_it_shows_open_alerts_with_an_acknowledge_button(therapist_client, patient, item, add_log):
    outcome = add_log(patient, item, after="worse")
    alert = outcome.alerts[0]
    content = therapist_client.get(url(patient)).content.decode()
    assert "Worse after an exercise" in content
    assert reverse("prescriptions:acknowledge_alert", kwargs={"pk": alert.pk}) in content


def test_it_offers_a_paper_log_form_for_the_program_in_use(therapist_client, patient, item):
    content = therapist_client.get(url(patient)).content.decode()
    assert "Enter a log from paper" in content
    assert f'<option value="{item.pk}"' in content


def test_it_links_each_version_to_its_handout_when_handouts_exist(
    therapist_client, patient, prescription
):
    content = therapist_client.get(url(patient)).content.decode()
    try:
        handout = reverse("handouts:pdf", args=[prescription.pk])
    except Exception:
        pytest.skip("The handout URL is not there yet.")
    assert handout in content


def test_it_audits_the_view(therapist_client, therapist, patient):
    therapist_client.get(url(patient))
    event = AuditEvent.objects.get(patient_id=patient.pk)
    assert (event.action, event.actor, event.object_type) == ("view", therapist, "patient")


def test_it_answers_only_get(therapist_client, patient):
    assert therapist_client.post(url(patient)).status_code == 405


def test_it_sends_anonymous_visitors_to_the_login(client, patient):
    assert client.get(url(patient))["Location"].startswith("/accounts/login/")


def test_another_clinic_gets_404(stranger_client, patient):
    assert stranger_client.get(url(patient)).status_code == 404
    # Only the refusal, in the owning clinic's own trail (never the stranger's).
    events = AuditEvent.objects.filter(patient_id=patient.pk)
    assert [(e.action, e.clinic_id) for e in events] == [("denied", patient.clinic_id)]


def test_an_unknown_patient_gets_404(therapist_client, db):
    assert therapist_client.get("/patients/999999/").status_code == 404


@pytest.mark.parametrize("logs", [5, 50])
def test_the_number_of_queries_does_not_grow_with_the_logs(
    therapist_client,
    therapist,
    patient,
    prescription,
    item,
    add_log,
    logs,
    django_assert_max_num_queries,
):
    for n in range(logs):
        add_log(
            patient,
            item,
            days_ago=n / 5,
            pain=n % 10 + 1,
            after="worse" if n % 7 == 0 else "better",
        )
    revise_prescription(
        prescription=prescription,
        items=[ItemSpec.from_item(i) for i in prescription.items.all()],
        by=therapist,
    )
    therapist_client.get(url(patient))  # the session's first write after signing in
    # Auth (4), patient (adherence is stored on it), alerts (2), versions, items, log count
    # and page, chart, invitation, audit, suggestions and their logs, episodes; the session
    # is not written again within the minute; the assessments card; the two-step gate's
    # device read.
    # + the messages section (thread, messages or the assign form's therapists) and the
    # navigation's unread count.
    with django_assert_max_num_queries(25):  # + the audit chain: lock, head
        response = therapist_client.get(url(patient))
    assert response.status_code == 200
