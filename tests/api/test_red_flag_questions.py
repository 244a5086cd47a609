"""`GET /api/v1/red-flag-checks/questions/` and the tiers through the red-flag API."""

from datetime import timedelta

from django.utils import timezone

from clinics.models import AuditEvent
from prescriptions.models import Alert, RedFlagCheck
from prescriptions.red_flags import QUESTION_CODES, Tier, questions
from prescriptions.services import record_red_flag_check
from tests.api.logs import answers

QUESTIONS_URL = "/api/v1/red-flag-checks/questions/"
CHECKS = "/api/v1/red-flag-checks/"
EMERGENCY = [q.code for q in questions([Tier.EMERGENCY])]


def test_with_a_patient_it_says_which_tiers_are_due(api, patient):
    assert api.get(QUESTIONS_URL, {"patient": patient.pk}).json()["due"] == [
        "emergency",
        "today",
    ]
    patient.starting_location = "foot"
    patient.save()
    record_red_flag_check(
        patient=patient, answered_yes=[], on=timezone.localdate() - timedelta(days=1)
    )
    assert api.get(QUESTIONS_URL, {"patient": patient.pk}).json()["due"] == ["emergency"]
    assert "due" not in api.get(QUESTIONS_URL).json()
    # Reading a patient's due tiers is reading patient data: it is in the audit log.
    assert AuditEvent.objects.filter(
        action="view", patient_id=patient.pk, detail__red_flag_tiers_due=["emergency"]
    ).exists()


def test_another_clinics_patient_is_a_404_and_an_unknown_parameter_a_400(other_api, api, patient):
    assert other_api.get(QUESTIONS_URL, {"patient": patient.pk}).status_code == 404
    response = api.get(QUESTIONS_URL, {"patiant": patient.pk})
    assert response.status_code == 400 and "patiant" in response.json()["errors"]


def test_it_answers_in_the_requested_language(api):
    body = api.get(QUESTIONS_URL, HTTP_ACCEPT_LANGUAGE="es").json()
    assert body["tiers"][0]["heading"] != "Seek urgent medical care now"


def test_a_check_of_one_tier_records_what_was_asked(api, patient):
    response = api.post(
        CHECKS,
        {"patient": patient.pk, "asked": EMERGENCY, "answered_yes": []},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["asked"] == sorted(EMERGENCY)
    assert response.json()["tiers_answered_yes"] == []


def test_a_today_tier_yes_answers_with_its_tier_and_a_warning(api, patient):
    response = api.post(
        CHECKS, {"patient": patient.pk, "answered_yes": ["weight_loss"]}, format="json"
    )
    body = response.json()
    assert body["tiers_answered_yes"] == ["today"]
    assert body["asked"] == sorted(QUESTION_CODES)
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity) == ("red_flag_today", "warning")
    assert body["alerts"] == [alert.pk]


def test_a_yes_to_a_question_not_asked_is_a_400_and_stores_nothing(api, patient):
    response = api.post(
        CHECKS,
        {"patient": patient.pk, "asked": EMERGENCY, "answered_yes": ["night_pain"]},
        format="json",
    )
    assert response.status_code == 400
    assert "answered_yes" in response.json()["errors"]
    assert not RedFlagCheck.objects.exists()


def test_a_log_says_which_tiers_are_due(api, patient, item):
    body = api.post("/api/v1/symptom-logs/", answers(item), format="json").json()
    assert body["red_flag_tiers_due"] == ["emergency", "today"]
    record_red_flag_check(patient=patient, answered_yes=[])
    body = api.post("/api/v1/symptom-logs/", answers(item), format="json").json()
    assert (body["red_flags_due"], body["red_flag_tiers_due"]) == (False, [])
