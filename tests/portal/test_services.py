"""The domain functions the portal calls, used the way other paths (API,
therapist entering a paper log) use them: the same safety rules apply."""

import pytest
from django.core.exceptions import ValidationError

from patients.models import PortalInvitation
from portal.services import activate_portal_login
from prescriptions.models import Alert, SymptomLog
from prescriptions.services import record_red_flag_check, record_symptom_log, red_flags_due
from tests.factories import make_patient


def store(patient, item, **answers):
    values = {
        "pain": 3,
        "location": "central",
        "during": "no_effect",
        "after": "no_effect",
        "sets_done": 1,
        "repetitions_done": 10,
    }
    values.update(answers)
    return record_symptom_log(patient=patient, item=item, **values)


@pytest.mark.parametrize("source", list(SymptomLog.Source))
def test_a_peripheralizing_log_raises_one_alert_whatever_the_path(patient, item, source):
    outcome = store(patient, item, during="peripheralize", location="thigh", source=source)
    assert outcome.stop_exercise
    assert [alert.kind for alert in outcome.alerts] == [Alert.Kind.PERIPHERALIZATION]
    assert Alert.objects.filter(patient=patient).count() == 1


def test_worse_afterwards_raises_an_alert_and_says_stop(patient, item):
    outcome = store(patient, item, after="worse", source=SymptomLog.Source.API)
    assert outcome.stop_exercise
    assert Alert.objects.get(patient=patient).kind == Alert.Kind.WORSE


def test_a_pain_rise_of_three_points_raises_one_alert(patient, item):
    store(patient, item, pain=2)
    assert not store(patient, item, pain=4).alerts
    outcome = store(patient, item, pain=5, source=SymptomLog.Source.THERAPIST)
    assert [alert.kind for alert in outcome.alerts] == [Alert.Kind.PAIN_RISE]
    assert not outcome.stop_exercise
    store(patient, item, pain=6)
    assert Alert.objects.filter(kind=Alert.Kind.PAIN_RISE).count() == 1


def test_a_centralizing_better_log_raises_nothing(patient, item):
    store(patient, item, pain=5, location="thigh")
    outcome = store(patient, item, pain=3, location="central", during="centralize", after="better")
    assert not outcome.stop_exercise
    assert not outcome.alerts
    assert not Alert.objects.exists()


def test_a_repeated_client_token_stores_one_log(patient, item):
    first = store(patient, item, client_token="abc123-token", during="peripheralize")
    again = store(patient, item, client_token="abc123-token", during="peripheralize")
    assert (first.created, again.created) == (True, False)
    assert again.log == first.log
    assert SymptomLog.objects.count() == 1
    assert Alert.objects.count() == 1


def test_a_red_flag_yes_raises_an_urgent_alert_and_is_asked_once_a_day(patient):
    assert red_flags_due(patient)
    _check, [alert] = record_red_flag_check(patient=patient, answered_yes=["saddle_numbness"])
    assert (alert.kind, alert.severity) == (Alert.Kind.RED_FLAG, Alert.Severity.URGENT)
    assert not red_flags_due(patient)


def test_activation_links_the_login_and_uses_up_the_invitation(clinic, therapist):
    newcomer = make_patient(clinic, first_name="Nina", last_name="Newman")
    invitation, _token = newcomer.invite(by=therapist)
    user = activate_portal_login(invitation=invitation, username="nina", password="x-long-pass-1")
    newcomer.refresh_from_db()
    invitation.refresh_from_db()
    assert newcomer.user == user
    assert invitation.used_at is not None
    assert not PortalInvitation.objects.usable().filter(patient=newcomer).exists()


def test_activation_refuses_a_second_use_of_the_same_invitation(clinic, therapist):
    newcomer = make_patient(clinic)
    invitation, _token = newcomer.invite(by=therapist)
    activate_portal_login(invitation=invitation, username="first", password="x-long-pass-1")
    with pytest.raises(ValidationError):
        activate_portal_login(invitation=invitation, username="second", password="x-long-pass-1")
    newcomer.refresh_from_db()
    assert newcomer.user.username == "first"


def test_activation_refuses_a_taken_username_and_changes_nothing(clinic, therapist):
    newcomer = make_patient(clinic)
    invitation, _token = newcomer.invite(by=therapist)
    with pytest.raises(ValidationError) as error:
        activate_portal_login(invitation=invitation, username="TESS", password="x-long-pass-1")
    assert "username" in error.value.error_dict
    newcomer.refresh_from_db()
    invitation.refresh_from_db()
    assert newcomer.user is None
    assert invitation.used_at is None
