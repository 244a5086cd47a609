"""The hazard log is evidence only if every control points to a test that exists, carries
the hazard's marker and passes (the suite runs it), and if every change to a file that
decides a patient's safety has been reviewed against the log."""

from tests.safety.hazard_log import parse, problems, read

SAMPLE = """
# Hazard log

## H-01: Pain spreading goes unnoticed

| Control | Kind | Verified by |
|---|---|---|
| C-01.1 Each log is judged against the reference | design | `{verified}` |
| C-01.2 The patient is told to stop | information | |

## H-02: Nothing controls this

## Reviewed files

| file | sha256 |
|---|---|
| `tests/safety/__init__.py` | `0000000000000000000000000000000000000000000000000000000000000000` |
""".replace("{verified}", f"{__name__.replace('.', '/')}.py::test_the_log_is_complete")


def test_the_log_is_complete():
    log = read()
    assert log.hazards, "the hazard log lists no hazard"
    assert problems(log) == []


def test_the_check_fails_on_a_control_with_no_test_a_missing_test_and_a_changed_file(tmp_path):
    found = problems(parse(SAMPLE))
    assert "C-01.2 names no test" in found
    assert "H-02 has no control" in found
    assert any("tests/safety/__init__.py changed since its safety review" in p for p in found)
    # Named, existing, but marked for another hazard.
    assert any("is not marked H-01" in p for p in found)

    missing = SAMPLE.replace("test_the_log_is_complete", "test_that_was_renamed")
    assert any("which does not exist" in p for p in problems(parse(missing)))


def test_a_marked_test_the_log_does_not_name_is_reported(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(
        "import pytest\n\n@pytest.mark.hazard('H-09')\ndef test_orphan():\n    pass\n"
    )
    found = problems(parse("## H-09: Something\n"), root=tmp_path)
    assert "tests/test_x.py::test_orphan is marked H-09 but the log names it nowhere" in found
