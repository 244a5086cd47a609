"""Logging one exercise: the form, the safety messages on the next page, and
what ends up in the database."""

import pytest
from django.urls import reverse

from clinics.models import AuditEvent
from prescriptions.models import Alert, SymptomLog
from prescriptions.services import ItemSpec, record_symptom_log, revise_prescription
from tests.portal.html import checked
from tests.shown import shown


@pytest.mark.hazard("H-02")
def test_it_asks_the_safety_questions_before_the_first_log_of_the_day(patient_client, item):
    url = reverse("portal:log", args=[item.pk])
    response = patient_client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("portal:red_flags") + f"?next={url.replace('/', '%2F')}"


def test_it_shows_the_form_prefilled_from_the_dosage(patient_client, item, checked_today):
    response = patient_client.get(reverse("portal:log", args=[item.pk]))
    assert response.status_code == 200
    content = shown(response.content.decode())
    assert item.exercise.name in content
    assert f'name="sets_done" id="id_sets_done" min="0" max="50" value="{item.sets}"' in content
    assert f'value="{item.repetitions}"' in content
    assert 'name="client_token" value="' in content
    for wording in (
        "It brought the pain on",
        "The pain went away",
        "The pain moved towards my spine",
        "The pain spread further down my leg or into my buttock",
        "Into my buttock",
        "Better than before the exercise",
    ):
        assert wording in content


def test_it_gives_each_rendered_form_its_own_token(patient_client, item, checked_today):
    first = patient_client.get(reverse("portal:log", args=[item.pk])).context["client_token"]
    second = patient_client.get(reverse("portal:log", args=[item.pk])).context["client_token"]
    assert first != second


def test_it_stores_a_log_and_redirects_to_the_result(
    patient_client, patient, item, answers, checked_today
):
    data = answers(pain="3", location="buttock", during="decrease", note="Easier today")
    response = patient_client.post(reverse("portal:log", args=[item.pk]), data)
    log = SymptomLog.objects.get(patient=patient)
    assert response.status_code == 302
    assert response.url == reverse("portal:logged", args=[log.pk])
    assert (log.item, log.pain, log.location, log.during, log.note) == (
        item,
        3,
        "buttock",
        "decrease",
        "Easier today",
    )
    assert log.source == SymptomLog.Source.PORTAL
    assert log.client_token == data["client_token"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="symptomlog", object_id=str(log.pk)
    ).exists()


def test_it_stores_one_log_when_the_same_form_is_sent_twice(
    patient_client, patient, item, answers, checked_today
):
    data = answers()
    first = patient_client.post(reverse("portal:log", args=[item.pk]), data)
    second = patient_client.post(reverse("portal:log", args=[item.pk]), data, follow=True)
    assert SymptomLog.objects.filter(patient=patient).count() == 1
    assert second.redirect_chain[0][0] == first.url
    assert "it is saved once" in shown(second.content.decode())
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).count() == 1


def test_it_keeps_what_was_typed_when_an_answer_is_missing(
    patient_client, patient, item, answers, checked_today
):
    data = answers(pain="7", location="thigh", note="Stiff in the morning")
    del data["during"]
    response = patient_client.post(reverse("portal:log", args=[item.pk]), data)
    assert response.status_code == 400
    content = shown(response.content.decode())
    assert "Please choose what happened during the exercise." in content
    assert checked(content, "pain") == ["7"]
    assert checked(content, "location") == ["thigh"]
    assert checked(content, "after") == ["no_effect"]
    assert "Stiff in the morning" in content
    # The same token comes back, so fixing the answer and sending still stores one log.
    assert response.context["client_token"] == data["client_token"]
    assert not SymptomLog.objects.exists()


def test_it_rejects_a_pain_outside_0_to_10_with_a_message(
    patient_client, item, answers, checked_today
):
    response = patient_client.post(reverse("portal:log", args=[item.pk]), answers(pain="11"))
    assert response.status_code == 400
    assert "Please check the answers marked below." in shown(response.content.decode())
    assert not SymptomLog.objects.exists()


def test_it_still_takes_a_log_for_a_program_changed_while_the_form_was_open(
    patient_client, patient, prescription, therapist, item, answers, checked_today
):
    revise_prescription(prescription=prescription, items=[ItemSpec.from_item(item)], by=therapist)
    response = patient_client.post(reverse("portal:log", args=[item.pk]), answers())
    assert response.status_code == 302
    assert SymptomLog.objects.get(patient=patient).item == item
    # Opening the old form again leads to the current program instead.
    response = patient_client.get(reverse("portal:log", args=[item.pk]))
    assert response.url == reverse("portal:today")


@pytest.mark.hazard("H-01")
def test_it_tells_the_patient_to_stop_after_the_pain_spreads(
    patient_client, patient, item, answers, clinic, checked_today
):
    clinic.phone = "020 7946 0000"
    clinic.save(update_fields=["phone"])
    response = patient_client.post(
        reverse("portal:log", args=[item.pk]),
        answers(location="thigh", during="peripheralize"),
        follow=True,
    )
    content = shown(response.content.decode())
    assert f"Stop doing {item.exercise.name}" in content
    assert 'role="alert"' in content
    assert "Harbour Physio" in content
    assert 'href="tel:02079460000"' in content
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.severity) == (Alert.Kind.PERIPHERALIZATION, Alert.Severity.WARNING)
    assert alert.symptom_log == SymptomLog.objects.get(patient=patient)


def test_it_tells_the_patient_to_stop_when_worse_afterwards(
    patient_client, patient, item, answers, checked_today
):
    response = patient_client.post(
        reverse("portal:log", args=[item.pk]), answers(after="worse"), follow=True
    )
    content = shown(response.content.decode())
    assert f"Stop doing {item.exercise.name}" in content
    assert "worse after this exercise" in content
    assert list(Alert.objects.values_list("kind", flat=True)) == [Alert.Kind.WORSE]


def test_it_raises_nothing_and_encourages_after_a_centralizing_better_log(
    patient_client, patient, item, answers, checked_today
):
    response = patient_client.post(
        reverse("portal:log", args=[item.pk]),
        answers(location="central", during="centralize", after="better"),
        follow=True,
    )
    content = shown(response.content.decode())
    assert "That is a good sign." in content
    assert "Stop doing" not in content
    assert not Alert.objects.exists()


def test_it_alerts_the_clinic_and_reassures_when_pain_rises_sharply(
    patient_client, patient, item, answers, checked_today
):
    patient_client.post(reverse("portal:log", args=[item.pk]), answers(pain="2"))
    response = patient_client.post(
        reverse("portal:log", args=[item.pk]), answers(pain="5"), follow=True
    )
    content = shown(response.content.decode())
    assert "Your pain is higher than it was in the last few days" in content
    assert "Stop doing" not in content
    alert = Alert.objects.get(patient=patient)
    assert alert.kind == Alert.Kind.PAIN_RISE


def test_the_result_page_stays_the_same_on_refresh(
    patient_client, patient, item, answers, checked_today
):
    response = patient_client.post(
        reverse("portal:log", args=[item.pk]), answers(during="peripheralize")
    )
    for _ in range(2):
        assert "Stop doing" in shown(patient_client.get(response.url).content.decode())
    assert Alert.objects.count() == 1


def test_it_offers_the_next_exercise_after_a_log(patient_client, patient, prescription, item):
    log = record_symptom_log(
        patient=patient,
        item=item,
        pain=3,
        location="central",
        during="no_effect",
        after="no_effect",
        sets_done=1,
        repetitions_done=1,
    ).log
    second = prescription.items.select_related("exercise").get(position=2)
    content = shown(patient_client.get(reverse("portal:logged", args=[log.pk])).content.decode())
    assert f"Next exercise: {second.exercise.name}" in content
    assert f'href="{reverse("portal:today")}#exercise-2"' in content
