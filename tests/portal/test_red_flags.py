import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.models import AuditEvent
from prescriptions.models import Alert, RedFlagCheck
from prescriptions.red_flags import QUESTIONS, RedFlag
from tests.portal.html import checked
from tests.shown import shown

pytestmark = pytest.mark.any_hour


def all_no(**yes):
    return {question.code: ("yes" if question.code in yes else "no") for question in QUESTIONS}


@pytest.mark.hazard("H-02")
def test_it_asks_every_red_flag_question_in_plain_words(patient_client):
    content = shown(patient_client.get(reverse("portal:red_flags")).content.decode())
    assert "Since your last check, have you noticed any of these?" in content
    for question in QUESTIONS:
        assert str(question.text) in content
    # Risk history is the therapist's to record, never a question for the patient.
    assert str(RedFlag.CANCER.label) not in content
    assert "cancer" not in content.lower()


def test_it_goes_on_to_the_log_form_after_all_no(patient_client, patient, item):
    log_url = reverse("portal:log", args=[item.pk])
    data = all_no()
    data["next"] = log_url
    response = patient_client.post(reverse("portal:red_flags"), data)
    assert response.status_code == 302
    assert response.url == log_url
    check = RedFlagCheck.objects.get(patient=patient)
    assert (check.checked_on, check.answered_yes) == (timezone.localdate(), [])
    assert not Alert.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="redflagcheck"
    ).exists()
    # Asked once a day: the log form now opens straight away.
    assert patient_client.get(log_url).status_code == 200


@pytest.mark.hazard("H-02")
def test_it_sends_a_yes_to_urgent_care_and_raises_an_urgent_alert(patient_client, patient):
    response = patient_client.post(
        reverse("portal:red_flags"), all_no(bladder_bowel=True), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:urgent")
    content = shown(response.content.decode())
    assert "Seek urgent medical care now" in content
    assert "emergency department" in content
    assert "Do not wait to see if it gets better" in content
    assert str(RedFlag.BLADDER_BOWEL.label) in content
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.severity) == (Alert.Kind.RED_FLAG, Alert.Severity.URGENT)


def test_it_insists_on_an_answer_to_each_question_and_keeps_the_others(patient_client, patient):
    data = all_no(leg_weakness=True)
    del data["saddle_numbness"]
    response = patient_client.post(reverse("portal:red_flags"), data)
    assert response.status_code == 400
    content = shown(response.content.decode())
    assert "Please answer yes or no." in content
    assert checked(content, "leg_weakness") == ["yes"]
    assert checked(content, "bladder_bowel") == ["no"]
    assert not RedFlagCheck.objects.exists()
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "/portal/../admin/", "/portal/%2e%2e/admin/", "/admin/"]
)
def test_it_does_not_follow_a_next_address_outside_the_portal(patient_client, target):
    data = all_no()
    data["next"] = target
    response = patient_client.post(reverse("portal:red_flags"), data)
    assert response.url == reverse("portal:today")


def test_it_goes_on_to_the_portal_page_it_came_from(patient_client):
    data = all_no()
    data["next"] = reverse("portal:session")
    response = patient_client.post(reverse("portal:red_flags"), data)
    assert response.url == reverse("portal:session")


@pytest.mark.hazard("H-03")
def test_the_urgent_page_is_only_for_a_yes_given_today(patient_client):
    assert patient_client.get(reverse("portal:urgent")).url == reverse("portal:today")
