"""`make safety-report`: each hazard of the log, its controls, and how each control's
tests fared in this run. Loaded as a pytest plugin (`-p tests.safety.report`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tests.safety.hazard_log import base_name, read

_outcomes: dict[tuple[str, str], list[str]] = defaultdict(list)


def pytest_runtest_logreport(report: Any) -> None:
    if report.when == "call" or report.outcome != "passed":
        _outcomes[base_name(report.nodeid)].append(report.outcome)


def _verdict(outcomes: list[str]) -> str:
    if not outcomes:
        return "NOT RUN"
    if "failed" in outcomes:
        return "FAILED"
    if all(outcome == "skipped" for outcome in outcomes):
        return "SKIPPED"
    return "passed" if len(outcomes) == 1 else f"passed ({len(outcomes)} cases)"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    write = terminalreporter.write_line
    log = read()
    write("")
    write("Hazard log: controls and the tests that verify them")
    counts: dict[str, int] = defaultdict(int)
    for hazard in log.hazards:
        write("")
        write(f"{hazard.id}: {hazard.title}")
        for control in hazard.controls:
            write(f"  {control.id} {control.text}")
            for test in control.tests:
                verdict = _verdict(_outcomes.get(base_name(test), []))
                counts[verdict.split(" ")[0]] += 1
                write(f"      {verdict:<20} {test}")
    write("")
    write("Tests named by the log: " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())))
