"""Red-flag checks stored before the tiers keep their meaning after the migration."""

import pytest

from prescriptions import red_flags, safety
from tests.migration_states import migrate_to, migrate_to_latest

BEFORE = [("prescriptions", "0012_alert_updated_at")]
AFTER = [("prescriptions", "0017_red_flag_tiers")]


@pytest.fixture
def before_the_tiers(transactional_db):
    yield migrate_to(BEFORE)
    migrate_to_latest()


def test_old_checks_asked_every_question_and_a_cancer_yes_becomes_risk_history(
    before_the_tiers,
):
    apps = before_the_tiers
    Clinic = apps.get_model("clinics", "Clinic")
    Patient = apps.get_model("patients", "Patient")
    RedFlagCheck = apps.get_model("prescriptions", "RedFlagCheck")
    clinic = Clinic.objects.create(name="Harbour Physio", slug="harbour")
    survivor = Patient.objects.create(clinic=clinic, first_name="Sam", last_name="Survivor")
    feverish = Patient.objects.create(clinic=clinic, first_name="Fay", last_name="Fever")
    RedFlagCheck.objects.create(patient=survivor, checked_on="2026-03-01", answered_yes=["cancer"])
    RedFlagCheck.objects.create(
        patient=feverish, checked_on="2026-03-01", answered_yes=["fever_weight_loss"]
    )
    RedFlagCheck.objects.create(patient=feverish, checked_on="2026-03-02", answered_yes=[])

    apps = migrate_to(AFTER)
    Patient = apps.get_model("patients", "Patient")
    RedFlagCheck = apps.get_model("prescriptions", "RedFlagCheck")
    assert Patient.objects.get(first_name="Sam").risk_factors == ["cancer"]
    assert Patient.objects.get(first_name="Fay").risk_factors == []
    for check in RedFlagCheck.objects.all():
        # Every question of the day was asked, so each tier counts as asked that day.
        assert "bladder_bowel" in check.asked and "night_pain" in check.asked
        assert (
            red_flags.tiers_due(
                today=check.checked_on,
                leg_symptoms=True,
                asked_on=[(check.checked_on, check.asked)],
            )
            == []
        )
    survivor_check = RedFlagCheck.objects.get(patient__first_name="Sam")
    fever_check = (
        RedFlagCheck.objects.filter(patient__first_name="Fay").order_by("checked_on").first()
    )
    # The answers are untouched and still read as they were meant.
    assert survivor_check.answered_yes == ["cancer"]
    assert str(red_flags.RedFlag("cancer").label) == "You have or have had cancer"
    assert fever_check.answered_yes == ["fever_weight_loss"]
    (finding,) = safety.red_flag_answers(fever_check.answered_yes, risk_history=False)
    assert finding.kind == "red_flag_today"
    assert "weight loss you cannot explain" in finding.reason
