"""The phone's copy of the safety rules (static/portal/safety.js) agrees with
prescriptions/safety.py on the rules' whole table.

The table is made here, in Python: every location and answer crossed with the ways a
reference can arise (held days, a peripheralization persisting, the starting location,
the previous log, none), recent pain levels, thresholds and nerve symptoms. The real
Python rules judge each row; Chromium runs the JS rules on the same rows, exported as
JSON, and both must reach the same findings (rule, kind, stop, urgent, alert,
further_out) in the same order. The red-flag tiers are crossed with every set of answers.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import asdict, fields
from pathlib import Path

import pytest
from django.conf import settings

from patients.models import Location
from portal.offline import rule_constants
from prescriptions import red_flags, safety
from prescriptions.models import AfterResponse, DuringResponse, NeuroSymptom

ENGINE = Path(settings.BASE_DIR) / "static" / "portal" / "safety.js"
COMPARED = ("rule", "kind", "stop", "urgent", "alert", "further_out")
ANSWERS = {"pain", "location", "during", "after", "new_symptoms"}

LOCATIONS = Location.values
HISTORIES: list[dict] = [
    {},
    *({"starting_location": code} for code in LOCATIONS),
    *({"previous_location": code} for code in LOCATIONS),
    *({"held": (code,)} for code in LOCATIONS),
    {"held": ("thigh", "central", "buttock")},
    {"held": ("none", "none")},
    *({"persisting": code} for code in ("central", "buttock", "thigh")),
    {"held": ("below_knee",), "persisting": "buttock"},
    {"held": ("buttock",), "persisting": "buttock", "starting_location": "foot"},
    {"held": ("one_side",), "persisting": "thigh"},
    {"starting_location": "none", "previous_location": "foot"},
    {"persisting": "", "starting_location": "", "previous_location": "central"},
]
LEVELS = [((), 3), ((2,), 3), ((6, 3), 3), ((5,), 1), ((0, 0), 10)]
SYMPTOMS = [(), ("numbness",), ("pins_needles",), ("weakness",), ("both_legs", "numbness")]
# A log alone, or one exercise of a session: back and leg pain after it, before it, and
# the recent levels of each.
SESSIONS: list[dict] = [
    {},
    {"back_pain": 2, "leg_pain": 5, "before_back_pain": 1, "before_leg_pain": 7},
    {"back_pain": 6, "leg_pain": 0, "before_back_pain": 2, "before_leg_pain": 0},
    {"back_pain": 0, "leg_pain": 0, "before_back_pain": 0, "before_leg_pain": 0},
    {"back_pain": 3, "leg_pain": 8, "before_back_pain": 3, "before_leg_pain": 4},
    {"back_pain": 3, "leg_pain": 2, "before_back_pain": 3, "before_leg_pain": 6},
    {"back_pain": 4, "leg_pain": 6, "recent_back_levels": (1,), "recent_leg_levels": ()},
    {
        "back_pain": 3,
        "leg_pain": 4,
        "before_back_pain": 3,
        "before_leg_pain": 4,
        "recent_back_levels": (0, 2),
        "recent_leg_levels": (1,),
    },
]
BEFORE = [None, *LOCATIONS]


def pains_for(location: str) -> tuple[int, ...]:
    # Consistent answers only: every path refuses a contradiction before judging.
    return (0,) if location == Location.NONE else (1, 5, 9)


def cycle(values, index: int, stride: int):
    """The answer of row `index`: strides that share no factor walk the answers against
    each other, so that the table stays small (it runs in a test) yet meets every pair."""
    return values[(index * stride) % len(values)]


def session_part(at: int) -> dict:
    part = cycle(SESSIONS, at, 11)
    if not part:
        return {}
    return {**part, "before_location": cycle(BEFORE, at, 13)}


def log_scenarios() -> list[dict]:
    rows = []
    # Every location against every history, the other answers walked through.
    for index, (location, history) in enumerate(itertools.product(LOCATIONS, HISTORIES)):
        for turn in range(2):
            at = index * 2 + turn
            levels, threshold = cycle(LEVELS, at, 3)
            rows.append(
                {
                    "pain": cycle(pains_for(location), at, 1),
                    "location": location,
                    "during": cycle(DuringResponse.values, at, 5),
                    "after": cycle(AfterResponse.values, at, 3),
                    "new_symptoms": cycle(SYMPTOMS, at, 7),
                    "recent_levels": levels,
                    "pain_rise_threshold": threshold,
                    **history,
                    **session_part(at),
                }
            )
    # Every location after a session against every location before it.
    for index, (location, before) in enumerate(itertools.product(LOCATIONS, BEFORE)):
        for history in (HISTORIES[0], {"held": ("buttock",)}, {"starting_location": "none"}):
            rows.append(
                {
                    "pain": cycle(pains_for(location), index, 1),
                    "location": location,
                    "during": cycle(DuringResponse.values, index, 3),
                    "after": cycle(AfterResponse.values, index, 2),
                    "recent_levels": (2,),
                    **history,
                    **cycle(SESSIONS[1:], index, 1),
                    "before_location": before,
                }
            )
    # Every answer against every other, on a few histories.
    for history, during, after, symptoms in itertools.product(
        (HISTORIES[0], {"starting_location": "thigh"}, {"held": ("none",)}),
        DuringResponse.values,
        AfterResponse.values,
        SYMPTOMS,
    ):
        rows.append(
            {
                "pain": 4,
                "location": "one_side",
                "during": during,
                "after": after,
                "new_symptoms": symptoms,
                "recent_levels": (1,),
                **history,
            }
        )
    return rows


def python_findings(row: dict) -> list[dict]:
    facts = safety.LogFacts(**row)
    return [
        {key: finding.as_dict()[key] for key in COMPARED} for finding in safety.evaluate_log(facts)
    ]


def as_json_facts(row: dict) -> dict:
    """The row as the phone holds it: every LogFacts field, tuples as lists."""
    facts = asdict(safety.LogFacts(**row))
    return {name.name: _plain(facts[name.name]) for name in fields(safety.LogFacts)}


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def red_flag_scenarios() -> list[dict]:
    codes = list(red_flags.RedFlag.values)
    rows = []
    for size in range(0, 4):
        for answers in itertools.combinations(codes, size):
            for risk in (False, True):
                rows.append({"yes": list(answers), "risk_history": risk})
    return rows


def python_red_flags(row: dict) -> list[dict]:
    return [
        {key: finding.as_dict()[key] for key in COMPARED}
        for finding in safety.red_flag_answers(row["yes"], risk_history=row["risk_history"])
    ]


@pytest.fixture
def engine(browser):
    context = browser.new_context()
    page = context.new_page()
    page.add_script_tag(path=str(ENGINE))
    yield page
    context.close()


def test_the_table_reaches_every_log_rule_and_rows_without_any_finding():
    rows = log_scenarios()
    assert len(rows) > 1000
    reached = {finding["rule"] for row in rows for finding in python_findings(row)}
    assert reached == {rule.__name__ for rule in safety.LOG_RULES}
    assert any(not python_findings(row) for row in rows)
    # Every answer field of the rules is set by the table, none left to a default.
    assert set(rows[0]) >= ANSWERS


def test_the_phone_judges_every_log_of_the_table_as_the_server_does(engine):
    rows = log_scenarios()
    table = [{"facts": as_json_facts(row), "expected": python_findings(row)} for row in rows]
    disagreements = engine.evaluate(
        """([table, rules]) => table
            .map((row, index) => ({index, got: CentraSafety.evaluateLog(row.facts, rules),
                                   expected: row.expected}))
            .filter((row) => JSON.stringify(row.got) !== JSON.stringify(row.expected))
            .slice(0, 5)""",
        [json.loads(json.dumps(table)), rule_constants()],
    )
    assert disagreements == [], [
        {"facts": table[each["index"]]["facts"], **each} for each in disagreements
    ]


def test_the_phone_judges_every_red_flag_answer_as_the_server_does(engine):
    rows = red_flag_scenarios()
    assert any(python_red_flags(row) for row in rows)
    table = [{**row, "expected": python_red_flags(row)} for row in rows]
    disagreements = engine.evaluate(
        """([table, rules]) => table
            .map((row) => ({
                row, got: CentraSafety.redFlagAnswers(row.yes, row.risk_history, rules)}))
            .filter((each) => JSON.stringify(each.got) !== JSON.stringify(each.row.expected))
            .slice(0, 5)""",
        [table, rule_constants()],
    )
    assert disagreements == []


def test_a_change_in_the_rules_tables_reaches_the_phone():
    """The tables come from the Python rules, so a new location or symptom reaches the
    phone's copy without a second edit."""
    constants = rule_constants()
    assert set(constants["location_rank"]) == set(Location.values)
    assert set(constants["urgent_neuro_symptoms"]) <= set(NeuroSymptom.values)
    assert set(constants["tier_of"]) == set(red_flags.RedFlag.values)
