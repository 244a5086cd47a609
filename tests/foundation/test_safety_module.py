"""The rule module on its own: one row per rule and per contradiction between the
patient's labels and the data, and the safety-rules page listing every rule."""

import inspect
from pathlib import Path

import pytest

from prescriptions import safety
from prescriptions.safety import LogFacts, evaluate_log

RULES_PAGE = Path(__file__).resolve().parents[2] / "docs" / "clinical" / "safety-rules.md"


def facts(**overrides) -> LogFacts:
    values = {"pain": 4, "location": "buttock", "during": "no_effect", "after": "no_worse"}
    values.update(overrides)
    return LogFacts(**values)


# (what the row shows, facts, kinds found, stop, urgent)
ROWS = [
    ("nothing of note", facts(), set(), False, False),
    (
        "labels good, data says peripheralization against the previous log",
        facts(location="below_knee", during="decrease", after="better", previous_location="thigh"),
        {"peripheralization"},
        True,
        False,
    ),
    (
        "labels good, data says peripheralization against the starting location",
        facts(location="thigh", during="centralize", after="better", starting_location="buttock"),
        {"peripheralization"},
        True,
        False,
    ),
    (
        "the previous log is the reference once there is one",
        facts(location="thigh", previous_location="foot", starting_location="buttock"),
        {"centralization"},
        False,
        False,
    ),
    (
        "labels bad (spread), data says centralization: the warning still stands",
        facts(location="central", during="peripheralize", previous_location="thigh"),
        {"peripheralization", "centralization"},
        True,
        False,
    ),
    (
        "label says spread, no reference at all",
        facts(during="peripheralize"),
        {"peripheralization"},
        True,
        False,
    ),
    (
        "labels good, data says centralization",
        facts(location="central", during="centralize", after="better", previous_location="thigh"),
        {"centralization"},
        False,
        False,
    ),
    ("worse afterwards", facts(after="worse"), {"worse"}, True, False),
    (
        "worse afterwards although the data says centralization",
        facts(location="central", after="worse", previous_location="foot"),
        {"worse", "centralization"},
        True,
        False,
    ),
    (
        "new numbness: stop, not urgent",
        facts(new_symptoms=("numbness",)),
        {"neurological"},
        True,
        False,
    ),
    (
        "symptoms in both legs: urgent",
        facts(new_symptoms=("both_legs",), during="decrease", after="better"),
        {"neurological"},
        True,
        True,
    ),
    ("new weakness: urgent", facts(new_symptoms=("weakness",)), {"neurological"}, True, True),
    (
        "pain 3 above the lowest of the recent days",
        facts(pain=7, first_pain=8, recent_lowest_pain=2),
        {"pain_rise"},
        False,
        False,
    ),
    (
        "pain 3 above the first log",
        facts(pain=5, first_pain=2, recent_lowest_pain=4),
        {"pain_rise"},
        False,
        False,
    ),
    (
        "pain 2 above: below the threshold",
        facts(pain=4, first_pain=2, recent_lowest_pain=2),
        set(),
        False,
        False,
    ),
    (
        "a clinic threshold of 2 catches a 2-point rise",
        facts(pain=4, first_pain=2, recent_lowest_pain=2, pain_rise_threshold=2),
        {"pain_rise"},
        False,
        False,
    ),
]


@pytest.mark.parametrize(
    ("row", "given", "kinds", "stop", "urgent"), ROWS, ids=[r[0] for r in ROWS]
)
def test_each_rule_reaches_its_finding(row, given, kinds, stop, urgent):
    findings = evaluate_log(given)
    assert {finding.kind for finding in findings} == kinds
    assert safety.stops(findings) is stop
    assert any(finding.urgent for finding in findings) is urgent


def test_the_peripheralization_reason_says_what_the_patient_answered_and_what_the_data_showed():
    finding = safety.peripheralization(
        facts(location="below_knee", during="decrease", after="better", previous_location="thigh")
    )
    assert '"decrease"' in finding.reason and '"better"' in finding.reason
    assert "below the knee" in finding.reason and "thigh" in finding.reason


def test_the_reference_is_stored_as_the_previous_log_or_the_starting_location():
    assert facts(previous_location="thigh", starting_location="foot").reference == (
        "thigh",
        "previous_log",
    )
    assert facts(starting_location="foot").reference == ("foot", "starting_location")
    assert facts().reference is None


@pytest.mark.parametrize(
    ("answered_yes", "risk_history", "expected"),
    [
        ([], False, []),
        ([], True, []),
        (["bladder_bowel"], False, [("red_flag", True, True)]),
        (["leg_weakness", "both_legs"], True, [("red_flag", True, True)]),
        (["fever"], False, [("red_flag_today", False, False)]),
        (["weight_loss", "night_pain"], True, [("red_flag_today", True, False)]),
        (
            ["night_pain", "saddle_numbness"],
            False,
            [
                ("red_flag", True, True),
                ("red_flag_today", False, False),
            ],
        ),
        # Checks answered before the tiers keep their meaning.
        (["fever_weight_loss"], False, [("red_flag_today", False, False)]),
        (["cancer"], False, []),
    ],
)
def test_each_red_flag_tier_has_its_own_urgency_and_only_the_emergency_stops(
    answered_yes, risk_history, expected
):
    findings = safety.red_flag_answers(answered_yes, risk_history=risk_history)
    assert [(finding.kind, finding.urgent, finding.stop) for finding in findings] == expected


def test_a_red_flag_finding_names_the_answers_of_its_own_tier():
    emergency, today = safety.red_flag_answers(["night_pain", "urination"], risk_history=True)
    assert "passing urine" in emergency.reason and "night" not in emergency.reason
    assert "night" in today.reason and "risk history" in today.reason


def _first_paragraph(rule) -> str:
    doc = inspect.getdoc(rule)
    return " ".join(doc.split("\n\n")[0].split())


@pytest.mark.parametrize("rule", safety.ALL_RULES, ids=lambda rule: rule.__name__)
def test_the_readme_lists_every_rule_as_the_module_words_it(rule):
    readme = " ".join(RULES_PAGE.read_text().split())
    assert "# Safety rules" in readme
    assert f"**{rule.__name__}**: {_first_paragraph(rule)}" in readme
