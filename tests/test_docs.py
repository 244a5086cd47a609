"""The documentation stays true: the site builds with every internal link and anchor
resolving, the README stays a short page whose links lead somewhere, and every command a
page tells the reader to type exists."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
CODE_BLOCK = re.compile(r"^```[\w-]*\n(.*?)^```", re.M | re.S)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
MAKE = re.compile(r"(?:^|[\s;&(])make\s+([a-z][\w-]*)")
MANAGE = re.compile(r"manage\.py\s+([a-z][\w-]*)")


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][\w-]*):", text, re.M))


def commands_named(text: str) -> list[str]:
    """The `make` targets and `manage.py` commands a page tells the reader to run."""
    snippets = CODE_BLOCK.findall(text) + INLINE_CODE.findall(CODE_BLOCK.sub("", text))
    named = []
    for snippet in snippets:
        named += [f"make {target}" for target in MAKE.findall(snippet)]
        named += [f"manage.py {command}" for command in MANAGE.findall(snippet)]
    return named


def missing_commands(text: str) -> list[str]:
    targets, commands = make_targets(), set(get_commands())
    return [
        named
        for named in commands_named(text)
        if (named.startswith("make ") and named[5:] not in targets)
        or (named.startswith("manage.py ") and named[10:] not in commands)
    ]


def test_the_site_builds_with_every_link_and_anchor_resolving(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_readme_is_a_short_page_with_the_two_commands_first():
    lines = (ROOT / "README.md").read_text().splitlines()
    assert len(lines) <= 150
    start = "\n".join(lines[:6])
    assert "make run" in start and "make test" in start


def test_every_file_the_readme_links_to_exists():
    text = (ROOT / "README.md").read_text()
    links = [link.split("#")[0] for link in re.findall(r"\]\(([^)\s]+)\)", text)]
    local = [link for link in links if link and "://" not in link]
    assert local, "the README links to no page"
    assert [link for link in local if not (ROOT / link).exists()] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_command_a_page_names_exists(page):
    assert missing_commands(page.read_text()) == []


def test_the_check_finds_a_command_that_does_not_exist():
    text = "Run `make deploy-now` and then:\n\n```sh\npython manage.py frobnicate\n```\n"
    assert sorted(missing_commands(text)) == ["make deploy-now", "manage.py frobnicate"]
    assert missing_commands("`make run`, then `python manage.py seed_demo`") == []
