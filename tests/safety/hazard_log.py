"""Reading the hazard log (docs/safety/hazard-log.md) as data.

The log is written for people, in Markdown, with a fixed shape that this module reads:

- each hazard is a level-2 heading `## H-01: what could go wrong`;
- its controls are the rows of a table whose first cell starts with a control id
  (`C-01.1`), and whose last cell names the tests that verify it, each in backticks
  as a pytest node id (`tests/foundation/test_x.py::test_y`);
- the files whose change needs a safety review are the rows of the table under
  `## Reviewed files`: a path and the SHA-256 of its content when it was last reviewed.
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "docs" / "safety" / "hazard-log.md"

HAZARD_HEADING = re.compile(r"^## (H-\d{2}): (.+)$")
CONTROL_ROW = re.compile(r"^\|\s*(C-\d{2}\.\d+)\b(.*)\|\s*$")
NODE_ID = re.compile(r"`(tests/[\w/]+\.py::[\w\[\]\-.]+)`")
REVIEWED_ROW = re.compile(r"^\|\s*`([\w./-]+)`\s*\|\s*`([0-9a-f]{64})`\s*\|")


@dataclass
class Control:
    id: str
    text: str
    tests: list[str]


@dataclass
class Hazard:
    id: str
    title: str
    controls: list[Control] = field(default_factory=list)


@dataclass
class HazardLog:
    hazards: list[Hazard]
    reviewed: dict[str, str]

    def tests_of(self, hazard_id: str) -> set[str]:
        hazard = next(h for h in self.hazards if h.id == hazard_id)
        return {test for control in hazard.controls for test in control.tests}


def parse(text: str) -> HazardLog:
    hazards: list[Hazard] = []
    reviewed: dict[str, str] = {}
    in_reviewed = False
    for line in text.splitlines():
        if line.startswith("## "):
            in_reviewed = line.strip() == "## Reviewed files"
            heading = HAZARD_HEADING.match(line)
            if heading:
                hazards.append(Hazard(heading[1], heading[2].strip()))
            continue
        if in_reviewed and (row := REVIEWED_ROW.match(line)):
            reviewed[row[1]] = row[2]
        elif hazards and (row := CONTROL_ROW.match(line)):
            cells = [cell.strip() for cell in row[2].split("|")]
            tests = NODE_ID.findall(cells[-1]) if cells else []
            hazards[-1].controls.append(Control(row[1], cells[0] if cells else "", tests))
    return HazardLog(hazards, reviewed)


def read() -> HazardLog:
    return parse(LOG.read_text())


def base_name(node_id: str) -> tuple[str, str]:
    """The file and the function of a node id, without parameters or a class."""
    path, _, name = node_id.partition("::")
    return path, name.split("::")[-1].split("[")[0]


def hazard_marks(path: Path) -> dict[str, set[str]]:
    """Each test function of a file, with the hazard ids its `@pytest.mark.hazard(...)`
    decorators name (an empty set when it has none)."""
    marks: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test_"
        ):
            ids: set[str] = set()
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Attribute)
                    and decorator.func.attr == "hazard"
                ):
                    ids |= {arg.value for arg in decorator.args if isinstance(arg, ast.Constant)}
            marks[node.name] = ids
    return marks


def problems(log: HazardLog, root: Path = ROOT) -> list[str]:
    """Everything that makes the log unfit as evidence: a hazard without a control, a
    control without a test, a test named that does not exist or does not carry the
    hazard's marker, a marked test the log does not name, a reviewed file changed since
    its review."""
    found = []
    marks_by_file: dict[str, dict[str, set[str]]] = {}

    def marks_of(path: str) -> dict[str, set[str]] | None:
        if path not in marks_by_file:
            file = root / path
            marks_by_file[path] = hazard_marks(file) if file.is_file() else None
        return marks_by_file[path]

    for hazard in log.hazards:
        if not hazard.controls:
            found.append(f"{hazard.id} has no control")
        for control in hazard.controls:
            if not control.tests:
                found.append(f"{control.id} names no test")
            for test in control.tests:
                path, name = base_name(test)
                marks = marks_of(path)
                if marks is None or name not in marks:
                    found.append(f"{control.id} names {test}, which does not exist")
                elif hazard.id not in marks[name]:
                    found.append(f"{test} verifies {control.id} but is not marked {hazard.id}")
    named = {
        (hazard.id, base_name(test))
        for hazard in log.hazards
        for control in hazard.controls
        for test in control.tests
    }
    for path in sorted(root.glob("tests/**/test_*.py")):
        relative = path.relative_to(root).as_posix()
        for name, ids in (marks_of(relative) or {}).items():
            for hazard_id in sorted(ids):
                if (hazard_id, (relative, name)) not in named:
                    found.append(
                        f"{relative}::{name} is marked {hazard_id} but the log names it nowhere"
                    )
    for path, recorded in log.reviewed.items():
        file = root / path
        if not file.is_file():
            found.append(f"reviewed file {path} does not exist")
            continue
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        if digest != recorded:
            found.append(
                f"{path} changed since its safety review: review the hazards it controls, "
                f"then record its new hash {digest}"
            )
    return found
