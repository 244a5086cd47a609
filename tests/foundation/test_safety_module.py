"""The rule module on its own: one row per rule and per scenario an MDT clinician
tried (persistent peripheralization, recurrence after no pain, centralization with
more back pain), per contradiction between the patient's labels and the data, and
the safety-rules page listing every rule."""

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


def session_facts(*, before, after, held=(), recent=((), ())) -> LogFacts:
    """A log of a session: `before` and `after` are (back pain, leg pain, location)."""
    back, leg, location = after
    return facts(
        pain=max(back, leg),
        location=location,
        back_pain=back,
        leg_pain=leg,
        before_back_pain=before[0],
        before_leg_pain=before[1],
        before_location=before[2],
        held=held,
        recent_back_levels=recent[0],
        recent_leg_levels=recent[1],
    )


# (what the row shows, facts, kinds found, stop, urgent)
ROWS = [
    ("nothing of note", facts(), set(), False, False),
    (
        "labels good, data says peripheralization against the held location",
        facts(location="below_knee", during="decrease", after="better", held=("thigh",)),
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
        "the starting location comes before the previous log when nothing was held",
        facts(location="thigh", previous_location="foot", starting_location="buttock"),
        {"peripheralization"},
        True,
        False,
    ),
    (
        "the previous log is the reference only when nothing else is known",
        facts(location="thigh", previous_location="foot"),
        {"centralization"},
        False,
        False,
    ),
    (
        "persistent peripheralization: still out on the 17th log, still a stop",
        facts(
            location="below_knee",
            held=(),
            persisting="thigh",
            starting_location="thigh",
            previous_location="below_knee",
        ),
        {"peripheralization"},
        True,
        False,
    ),
    (
        "persistent peripheralization: the held day is more central than the starting location",
        facts(
            location="thigh", held=("one_side",), persisting="one_side", starting_location="foot"
        ),
        {"peripheralization"},
        True,
        False,
    ),
    (
        "back at the reference after spreading: the stop ends",
        facts(location="thigh", persisting="thigh", previous_location="below_knee"),
        set(),
        False,
        False,
    ),
    (
        "the most central of the held days is the reference",
        facts(location="buttock", held=("thigh", "one_side", "buttock")),
        {"peripheralization"},
        True,
        False,
    ),
    (
        "labels bad (spread), data says centralization: the warning still stands",
        facts(location="central", during="peripheralize", held=("thigh",)),
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
        facts(location="central", during="centralize", after="better", held=("thigh",)),
        {"centralization"},
        False,
        False,
    ),
    (
        "recurrence: no pain, then pain 3 in the centre of the low back, eased",
        facts(
            pain=3,
            location="central",
            during="decrease",
            after="better",
            held=("none",),
            recent_levels=(0,),
        ),
        {"recurrence"},
        False,
        False,
    ),
    (
        "recurrence after five pain-free days: one side of the low back",
        facts(pain=5, location="one_side", held=("none", "none", "none"), recent_levels=(0, 0)),
        {"recurrence"},
        False,
        False,
    ),
    (
        "from no pain to the buttock is peripheralization, not a recurrence",
        facts(pain=4, location="buttock", held=("none",), recent_levels=(0,)),
        {"peripheralization", "pain_rise"},
        True,
        False,
    ),
    (
        "centralization with more pain (back pain up as the leg pain goes): no pain rise",
        facts(pain=7, location="one_side", held=("thigh",), recent_levels=(4,)),
        {"centralization"},
        False,
        False,
    ),
    ("worse afterwards", facts(after="worse"), {"worse"}, True, False),
    (
        "worse afterwards although the data says centralization",
        facts(location="central", after="worse", held=("foot",)),
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
        "pain 3 above the recent level",
        facts(pain=7, recent_levels=(8, 5, 4)),
        {"pain_rise"},
        False,
        False,
    ),
    (
        "pain 2 above the recent level: below the threshold",
        facts(pain=4, recent_levels=(2, 5)),
        set(),
        False,
        False,
    ),
    (
        "a clinic threshold of 2 catches a 2-point rise",
        facts(pain=4, recent_levels=(2,), pain_rise_threshold=2),
        {"pain_rise"},
        False,
        False,
    ),
    # Sessions: back with back, leg with leg, after with before.
    (
        "session: leg pain gives way to more back pain at the same location: centralizing",
        session_facts(before=(2, 6, "thigh"), after=(7, 3, "thigh"), recent=((2,), (6,))),
        {"centralization"},
        False,
        False,
    ),
    (
        "session: the pain retreats from the thigh to the back with back pain 7: no pain rise",
        session_facts(before=(4, 6, "thigh"), after=(7, 0, "central"), recent=((1,), (6,))),
        {"centralization"},
        False,
        False,
    ),
    (
        "session: further out after than before, the reference aside: peripheralization",
        session_facts(before=(3, 2, "buttock"), after=(3, 4, "thigh"), held=("thigh",)),
        {"peripheralization"},
        True,
        False,
    ),
    (
        "session: leg pain 3 points up at the same location: a pain rise, no stop",
        session_facts(before=(2, 3, "thigh"), after=(2, 6, "thigh"), held=("thigh",)),
        {"pain_rise"},
        False,
        False,
    ),
    (
        "session: back pain up with leg pain up too is not centralizing",
        session_facts(before=(2, 3, "thigh"), after=(5, 6, "thigh"), held=("thigh",)),
        {"pain_rise"},
        False,
        False,
    ),
    (
        "session: back pain 3 above its recent level, unchanged in the session",
        session_facts(before=(5, 0, "central"), after=(5, 0, "central"), recent=((2,), (0,))),
        {"pain_rise"},
        False,
        False,
    ),
    (
        "session: no pain before, low back pain after is not peripheralization",
        session_facts(before=(0, 0, "none"), after=(2, 0, "central"), held=("central",)),
        set(),
        False,
        False,
    ),
    (
        "session: the same answers before and after: nothing of note",
        session_facts(before=(3, 4, "thigh"), after=(3, 4, "thigh"), held=("thigh",)),
        set(),
        False,
        False,
    ),
]


@pytest.mark.hazard("H-01")
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
        facts(location="below_knee", during="decrease", after="better", held=("thigh",))
    )
    assert '"decrease"' in finding.reason and '"better"' in finding.reason
    assert "below the knee" in finding.reason and "thigh" in finding.reason
    assert "held in recent days" in finding.reason
    assert finding.further_out


def test_a_spread_said_but_not_shown_by_the_data_is_not_marked_further_out():
    finding = safety.peripheralization(facts(during="peripheralize", held=("thigh",)))
    assert finding.stop and not finding.further_out


@pytest.mark.parametrize(
    ("given", "reference"),
    [
        (facts(held=("thigh", "buttock"), starting_location="foot"), ("buttock", "held")),
        (facts(held=("thigh",), persisting="one_side"), ("one_side", "persisting")),
        (facts(held=("one_side",), persisting="one_side"), ("one_side", "held")),
        (facts(persisting="thigh", starting_location="buttock"), ("thigh", "persisting")),
        (
            facts(previous_location="thigh", starting_location="foot"),
            ("foot", "starting_location"),
        ),
        (facts(previous_location="thigh"), ("thigh", "previous_log")),
        (facts(), None),
    ],
)
@pytest.mark.hazard("H-01")
def test_the_reference_is_the_most_central_held_or_persisting_else_start_else_previous(
    given, reference
):
    assert given.reference == reference


def test_a_days_level_is_the_median_of_its_logs():
    assert safety.day_level([0, 6, 7]) == 6
    assert safety.day_level([2, 6]) == 2
    assert facts(recent_levels=(6, 3, 5)).recent_level == 3


@pytest.mark.parametrize(
    ("pain", "location", "field"),
    [
        (7, "none", "location"),
        (1, "none", "location"),
        (0, "foot", "pain"),
        (0, "central", "pain"),
    ],
)
def test_pain_and_location_that_contradict_each_other_are_refused(pain, location, field):
    problem = safety.contradiction(pain=pain, location=location)
    assert problem is not None and problem[0] == field


@pytest.mark.parametrize(
    ("back", "leg", "location", "field"),
    [
        (3, 0, "none", "location"),
        (0, 0, "thigh", "back_pain"),
        (0, 4, "central", "location"),
        (0, 4, "one_side", "location"),
        (5, 0, "below_knee", "leg_pain"),
    ],
)
def test_back_and_leg_pain_that_contradict_where_the_pain_reaches_are_refused(
    back, leg, location, field
):
    problem = safety.parts_contradiction(back_pain=back, leg_pain=leg, location=location)
    assert problem is not None and problem[0] == field


@pytest.mark.parametrize(
    ("back", "leg", "location"),
    [(0, 0, "none"), (3, 0, "central"), (3, 0, "buttock"), (0, 3, "buttock"), (2, 5, "foot")],
)
def test_back_and_leg_pain_that_agree_with_the_location_pass(back, leg, location):
    assert safety.parts_contradiction(back_pain=back, leg_pain=leg, location=location) is None


@pytest.mark.parametrize(
    ("before", "after", "response"),
    [
        ((2, 6, "thigh"), (6, 2, "thigh"), "centralizing"),
        ((2, 6, "thigh"), (2, 4, "buttock"), "centralizing"),
        ((2, 2, "buttock"), (2, 2, "thigh"), "peripheralizing"),
        ((4, 4, "thigh"), (3, 2, "thigh"), "better"),
        ((4, 4, "thigh"), (3, 5, "thigh"), "worse"),
        ((4, 4, "thigh"), (4, 4, "thigh"), "unchanged"),
        ((0, 0, "none"), (2, 0, "central"), "worse"),
        (None, (2, 0, "central"), "not_compared"),
    ],
)
def test_a_session_is_summed_up_by_comparing_like_with_like(before, after, response):
    before_back, before_leg, before_location = before or (None, None, None)
    assert (
        safety.session_response(
            before_back_pain=before_back,
            before_leg_pain=before_leg,
            before_location=before_location,
            after_back_pain=after[0],
            after_leg_pain=after[1],
            after_location=after[2],
        )
        == response
    )


@pytest.mark.parametrize(("pain", "location"), [(0, "none"), (3, "central"), (10, "foot")])
def test_pain_and_location_that_agree_pass(pain, location):
    assert safety.contradiction(pain=pain, location=location) is None


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
