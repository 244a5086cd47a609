"""The shape of the code: a domain core whose imports run downward only, and one app
per surface that imports the core and never another surface's views.

See docs/architecture.md for the picture in words.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The core, lowest first: an app may import itself and the apps before it.
CORE = [
    "clinics",
    "exercises",
    "patients",
    "assessments",
    "prescriptions",
    "reminders",
    "integrations",
]
# One app per kind of user; each may import the core.
# The FHIR app is `fhir_r4`: `fhir` is the package of the `fhir.resources` library.
SURFACES = ["dashboard", "portal", "handouts", "api", "fhir_r4"]
# What one surface may take from another: shared machinery that is not a page.
# Anything else crossing between surfaces belongs in the core.
SURFACE_SHARING = {
    ("api", "handouts.pdf"),  # the API serves the same PDF the dashboard links to
    ("dashboard", "api.models"),  # the keys page manages the API's keys
    ("fhir_r4", "api.models"),  # FHIR accepts the same clinic API keys
}


def imported_modules(source: str) -> list[tuple[int, str]]:
    """Every absolute module a source imports, with its line, functions included."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.extend(
                (node.lineno, f"{node.module}.{alias.name}")
                if node.module in CORE + SURFACES
                else (node.lineno, node.module)
                for alias in node.names
            )
    return found


def violations(app: str, path: str, source: str) -> list[str]:
    problems = []
    for line, module in imported_modules(source):
        top = module.split(".")[0]
        if top == app or top not in CORE + SURFACES:
            continue
        where = f"{path}:{line} imports {module}"
        if app in CORE:
            if top in SURFACES or CORE.index(top) > CORE.index(app):
                problems.append(f"{where}: the core app {app} imports an app above it")
        elif app in SURFACES and top in SURFACES:
            shared = any(
                module == allowed or module.startswith(f"{allowed}.")
                for surface, allowed in SURFACE_SHARING
                if surface == app
            )
            if not shared:
                problems.append(f"{where}: a surface imports another surface")
    return problems


def project_modules():
    for app in CORE + SURFACES:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            yield app, str(relative), path.read_text()


def test_the_core_imports_downward_and_surfaces_import_only_the_core():
    problems = [
        problem
        for app, path, source in project_modules()
        for problem in violations(app, path, source)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("app", "source", "expected"),
    [
        ("clinics", "from patients.models import Patient", "the core app clinics imports"),
        (
            "patients",
            "def f():\n    from prescriptions.models import SymptomLog",
            "x.py:2 imports prescriptions.models",
        ),
        ("prescriptions", "import portal.views", "imports an app above it"),
        ("portal", "from dashboard.views import patients", "a surface imports another"),
        ("api", "from portal.views import today", "a surface imports another"),
        ("handouts", "from dashboard import views", "imports dashboard.views"),
    ],
)
def test_the_check_names_the_offending_line(app, source, expected):
    problems = violations(app, "x.py", source)
    assert problems
    assert expected in problems[0]


@pytest.mark.parametrize(
    ("app", "source"),
    [
        ("prescriptions", "from patients.models import Patient\nfrom clinics.models import audit"),
        ("dashboard", "from prescriptions.services import record_symptom_log"),
        ("api", "from handouts.pdf import handout_pdf"),
        ("portal", "from django.db import models"),
    ],
)
def test_downward_imports_pass(app, source):
    assert violations(app, "x.py", source) == []
