"""What the walk of the portal found on the session page: it respects a paused program
and an exercise the patient was told to stop, and old addresses lead back to Today."""

import pytest
from django.urls import reverse

from prescriptions.models import SymptomLog
from prescriptions.outcomes import end_episode
from prescriptions.services import record_red_flag_check, record_symptom_log
from tests.portal.test_session import item_answers, session

pytestmark = pytest.mark.any_hour

URL = "/portal/session/"


def _stop(patient, item):
    return record_symptom_log(
        patient=patient,
        item=item,
        pain=5,
        location="thigh",
        during="peripheralize",
        after="no_effect",
        sets_done=1,
        repetitions_done=1,
    )


def test_the_session_page_sends_a_paused_program_back_to_today(
    patient_client, patient, prescription
):
    record_red_flag_check(patient=patient, answered_yes=["leg_weakness"])
    response = patient_client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("portal:today")
    today = patient_client.get(response.url).content.decode()
    assert "Seek urgent medical care now" in today
    assert "Log this session" not in today


def test_a_session_form_open_before_the_pause_is_still_saved(
    patient_client, patient, prescription, checked_today
):
    items = list(prescription.items.order_by("position"))
    record_red_flag_check(patient=patient, answered_yes=["leg_weakness"])
    data = session(items, **{"1": item_answers(items[0])})
    response = patient_client.post(URL, data)
    assert response.status_code == 302
    assert SymptomLog.objects.filter(patient=patient, item=items[0]).count() == 1


@pytest.mark.hazard("H-01")
def test_the_session_page_warns_about_an_exercise_the_patient_was_told_to_stop(
    patient_client, patient, prescription, checked_today
):
    stopped, *others = prescription.items.order_by("position")
    _stop(patient, stopped)
    content = patient_client.get(URL).content.decode()
    assert content.count("Do not do this exercise for now.") == 1
    section = content[content.index(f'id="session-{stopped.pk}-name"') :]
    assert section.index("Do not do this exercise for now.") < section.index(
        f'id="session-{others[0].pk}-name"'
    )
    assert " checked" not in content


def test_a_discharged_patient_is_not_told_of_a_program_to_follow(
    patient_client, patient, prescription, therapist, checked_today
):
    item = prescription.items.first()
    end_episode(patient=patient, by=therapist)
    for url in (URL, reverse("portal:log", args=[item.pk])):
        response = patient_client.get(url, follow=True)
        content = response.content.decode()
        assert "Your treatment has ended" in content
        assert "Here is the one to follow now" not in content


def test_the_saved_page_without_the_patients_own_logs_goes_to_today(
    patient_client, other_patient, therapist
):
    from tests.factories import make_prescription

    other_item = make_prescription(other_patient, therapist).items.first()
    log = _stop(other_patient, other_item).log
    response = patient_client.get(f"{reverse('portal:session_logged')}?session={log.session_id}")
    assert response.status_code == 302
    assert response.url == reverse("portal:today")
