"""The outcome chart's right-margin labels: each next to its own line, in the same
order as the lines, and never on top of another label."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise

import pytest

from prescriptions.outcome_charts import outcome_chart, spread_labels
from prescriptions.outcome_models import OutcomeMeasure

TEXT = re.compile(r'<text x="(?P<x>[\d.]+)" y="(?P<y>[\d.]+)"[^>]*>(?P<label>[^<]+)</text>')
DASHED = re.compile(r'<line [^>]*y1="(?P<y>[\d.]+)"[^>]*stroke="(?P<colour>#\w+)"[^>]*dasharray')


def measure(instrument: str, score: str, day: int) -> OutcomeMeasure:
    return OutcomeMeasure(
        instrument=instrument,
        score=Decimal(score),
        taken_at=datetime(2026, 3, day, 12, tzinfo=UTC),
    )


def margin_labels(svg: str) -> dict[str, float]:
    """The right-margin labels and the height of their text's middle."""
    return {m["label"]: float(m["y"]) - 4.5 for m in TEXT.finditer(svg) if float(m["x"]) > 550}


def dashed_lines(svg: str) -> dict[str, float]:
    colours = {"#0f5e66": "MCID NPRS", "#7a4b00": "MDC PSFS"}
    return {colours[m["colour"]]: float(m["y"]) for m in DASHED.finditer(svg)}


# Pain from 6.7 to 2.3 (its threshold at 4.7) and function from 3 to 5 (at 5): the
# two thresholds are 6 px apart and PSFS's is the upper one.
WALK = [
    measure("nprs", "6.7", 1),
    measure("nprs", "4", 8),
    measure("nprs", "2.3", 15),
    measure("psfs", "3", 1),
    measure("psfs", "4.5", 8),
    measure("psfs", "5", 15),
]
ALL_AT_FIVE = [
    measure("nprs", "7", 1),
    measure("nprs", "5", 15),
    measure("psfs", "3", 1),
    measure("psfs", "5", 15),
]


@pytest.mark.parametrize("measures", [WALK, ALL_AT_FIVE])
def test_no_two_labels_overlap(measures):
    labels = sorted(margin_labels(outcome_chart(measures)).values())

    assert len(labels) == 4
    assert all(lower - upper >= 14 for upper, lower in pairwise(labels))


def test_each_threshold_label_stands_in_the_order_of_its_line_and_near_it():
    svg = outcome_chart(WALK)
    labels, lines = margin_labels(svg), dashed_lines(svg)
    assert '<line x1="550"' in svg, "a stroke leads to each label moved off its line"

    assert lines["MDC PSFS"] < lines["MCID NPRS"]
    assert labels["MDC PSFS"] < labels["MCID NPRS"]
    for name in ("MDC PSFS", "MCID NPRS"):
        assert abs(labels[name] - lines[name]) <= 16


def test_a_label_with_room_sits_level_with_its_line():
    svg = outcome_chart([measure("nprs", "8", 1), measure("nprs", "3", 15)])
    labels, lines = margin_labels(svg), dashed_lines(svg)

    assert labels["MCID NPRS"] == pytest.approx(lines["MCID NPRS"], abs=0.1)
    assert '<line x1="550"' not in svg, "no stroke leads to a label that did not move"


def test_spread_labels_keeps_order_and_distance_within_bounds():
    assert spread_labels([50, 10, 100], gap=16, low=0, high=200) == [50, 10, 100]
    assert spread_labels([100, 100, 100], gap=16, low=0, high=200) == [84, 100, 116]
    assert spread_labels([2, 3], gap=16, low=8, high=200) == [8, 24]
    assert spread_labels([199, 200], gap=16, low=0, high=200) == [184, 200]
