import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clinics.models import AuditEvent
from prescriptions.services import end_prescription, record_red_flag_check, record_symptom_log

pytestmark = pytest.mark.any_hour


def test_it_shows_the_active_program_in_order_with_dosage_steps_and_stop_rules(
    patient_client, prescription
):
    item = prescription.items.order_by("position").first()
    item.note = "Go gently on the first day."
    item.save(update_fields=["note"])
    response = patient_client.get(reverse("portal:today"))
    assert response.status_code == 200
    content = response.content.decode()
    items = list(prescription.items.select_related("exercise").order_by("position"))
    positions = [content.index(f'id="exercise-{i.position}-name"') for i in items]
    assert positions == sorted(positions)
    for each in items:
        assert each.exercise.name in content
        assert each.dosage_text in content
        assert escape(each.steps[0]) in content
        assert reverse("portal:log", args=[each.pk]) in content
    assert "Go gently on the first day." in content
    assert "When to stop" in content
    assert "buttock, thigh or leg" in content


def test_it_shows_each_drawing_with_alt_text(patient_client, prescription):
    item = prescription.items.select_related("exercise").order_by("position").first()
    content = patient_client.get(reverse("portal:today")).content.decode()
    assert f'src="{item.exercise.image_url}"' in content
    assert f'alt="Drawing of the exercise: {item.exercise.name}"' in content


def test_it_explains_calmly_when_there_is_no_program(patient_client, patient, clinic):
    clinic.phone = "020 7946 0000"
    clinic.save(update_fields=["phone"])
    response = patient_client.get(reverse("portal:today"))
    assert response.status_code == 200
    assert "No exercises for you yet" in response.content.decode()
    assert 'href="tel:02079460000"' in response.content.decode()


def test_it_does_not_show_an_ended_program(patient_client, prescription):
    end_prescription(prescription=prescription)
    content = patient_client.get(reverse("portal:today")).content.decode()
    assert "No exercises for you yet" in content


@pytest.mark.hazard("H-01")
def test_it_marks_an_exercise_whose_last_log_said_stop(patient_client, patient, item):
    record_symptom_log(
        patient=patient,
        item=item,
        pain=5,
        location="thigh",
        during="peripheralize",
        after="no_effect",
        sets_done=1,
        repetitions_done=1,
    )
    content = patient_client.get(reverse("portal:today")).content.decode()
    assert content.count("Do not do this exercise for now.") == 1
    assert "Logged once today." in content


@pytest.mark.hazard("H-03")
def test_it_reminds_the_patient_of_an_urgent_answer_given_today(patient_client, patient):
    record_red_flag_check(patient=patient, answered_yes=["leg_weakness"])
    content = patient_client.get(reverse("portal:today")).content.decode()
    assert "Seek urgent medical care now" in content


def test_it_records_that_the_patient_viewed_the_program(patient_client, patient, prescription):
    patient_client.get(reverse("portal:today"))
    event = AuditEvent.objects.get(actor=patient.user, action=AuditEvent.Action.VIEW)
    assert (event.object_type, event.object_id) == ("prescription", str(prescription.pk))
    assert event.patient_id == patient.pk


def test_it_costs_the_same_queries_however_many_logs_there_are(
    patient_client, patient, prescription, django_assert_max_num_queries
):
    for item in prescription.items.all():
        for _ in range(3):
            record_symptom_log(
                patient=patient,
                item=item,
                pain=2,
                location="central",
                during="decrease",
                after="better",
                sets_done=1,
                repetitions_done=10,
                logged_at=timezone.now(),
            )
    with django_assert_max_num_queries(
        16
    ):  # + the audit chain, + outcome measures due, + two-step gate
        response = patient_client.get(reverse("portal:today"))
    assert response.content.decode().count("Logged 3 times today.") == 7


def test_it_links_the_handout_of_the_program_in_use(patient_client, prescription):
    content = patient_client.get(reverse("portal:today")).content.decode()
    handout_url = reverse("handouts:pdf", args=[prescription.pk])
    assert f'href="{handout_url}"' in content
    assert "Download your handout (PDF)" in content
