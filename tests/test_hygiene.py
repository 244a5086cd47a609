"""What the repository must not carry: paths of the machine it was written on, and
instructions meant for whoever (or whatever) wrote it rather than for its readers."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# An absolute path into a home, scratch or workspace folder names one machine's layout.
MACHINE_PATH = re.compile(r"(?<![\w.:/])/(?:work|tmp|home|root|Users|mnt)/[\w.-]")
# Binary and generated files are read by machines, not people.
SKIPPED_SUFFIXES = {".mo", ".png", ".jpg", ".jpeg", ".webp", ".ico", ".pdf", ".woff", ".woff2"}


def tracked_files() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in listed.split("\0") if name]


def offending_lines(pattern: re.Pattern[str]) -> list[str]:
    found = []
    for path in tracked_files():
        if path.suffix in SKIPPED_SUFFIXES or not path.is_file():
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    return found


def test_no_tracked_file_names_a_path_of_a_development_machine():
    assert offending_lines(MACHINE_PATH) == []


def test_no_tracked_file_carries_an_instruction_to_an_agent():
    assert (
        offending_lines(re.compile("HELPER, READ" + " FIRST|your brief" + " continues", re.I)) == []
    )


def test_the_path_check_finds_a_machine_path():
    # Built from parts, so that this file does not trip the check itself.
    root = "/"
    assert MACHINE_PATH.search(f'ARTICLE = Path("{root}work/shared/reference/article.txt")')
    assert MACHINE_PATH.search(f"see {root}tmp/centra-run.log")
    assert not MACHINE_PATH.search(f"GET /api/v1/patients/ and https://example.org{root}work/x")
