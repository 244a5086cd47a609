"""The built-in catalog is written in our own words, its steps take every number from
the prescribed dosage, and its cautions say what the reference implies."""

import hashlib
import re
from pathlib import Path

import pytest

from exercises.catalog import EXERCISES, PROGRESSIONS
from exercises.dosage import DosageFigures, dosage_text, render_steps
from exercises.models import Exercise

# The article is not ours to publish: the repository keeps only a hash of each run of
# seven of its words (tests/foundation/reference_runs.txt), made from the article.
# The project's shared folder sits beside the repository, on a developer's machine and in CI.
ARTICLE = (
    Path(__file__).resolve().parents[3] / "shared" / "reference" / "mckenzie-exercises-article.txt"
)
RUNS_FILE = Path(__file__).with_name("reference_runs.txt")
RUN = 7
NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "fifteen", "twenty", "thirty", "sixty", "once", "twice",
    "half", "few", "several", "couple", "dozen", "second", "seconds", "minute", "minutes",
}  # fmt: skip
BY_SLUG = {entry["slug"]: entry for entry in EXERCISES}


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


def _builtin_texts() -> list[str]:
    texts = []
    for entry in EXERCISES:
        texts += [entry["name"], entry["purpose"], entry["cautions"], *entry["steps"]]
        # What the patient reads, with numbers and a side filled in.
        texts += render_steps(entry["steps"], dosage=DosageFigures(), side="left")
    for entry in PROGRESSIONS:
        texts += [entry["name"], entry["description"], *(when for _slug, when in entry["steps"])]
    return texts


def _run_hash(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:16]


def _runs_of(text: str) -> set[str]:
    words = _words(text)
    return {_run_hash(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def _reference_runs() -> set[str]:
    lines = RUNS_FILE.read_text().splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def test_no_seven_word_run_of_any_built_in_text_appears_in_the_reference_article():
    reference = _reference_runs()
    assert len(reference) > 1000
    copied = [text for text in _builtin_texts() if _runs_of(text) & reference]
    assert copied == []


def test_the_stored_runs_are_those_of_the_article_where_it_is_at_hand():
    if not ARTICLE.is_file():
        pytest.skip("the reference article is not on this machine")
    assert _reference_runs() == _runs_of(ARTICLE.read_text())


def test_the_check_finds_a_sentence_copied_from_the_article():
    assert _runs_of("First: bend forward at the waist as far as you can.") & _reference_runs()


@pytest.mark.parametrize("slug", list(BY_SLUG))
def test_no_built_in_step_carries_a_number_of_its_own(slug):
    for step in BY_SLUG[slug]["steps"]:
        assert not re.search(r"\d", step), step
        assert not set(_words(step)) & NUMBER_WORDS, step


@pytest.mark.parametrize("slug", [s for s, e in BY_SLUG.items() if e["hold"]])
def test_an_exercise_with_a_hold_says_in_its_steps_how_long_from_the_dosage(slug):
    steps = render_steps(
        BY_SLUG[slug]["steps"], dosage=DosageFigures(repetitions=7, hold_seconds=9)
    )
    assert any("for the time your therapist set: 9 seconds" in step for step in steps)


@pytest.mark.parametrize("slug", [s for s, e in BY_SLUG.items() if e["repetitions"] > 1])
def test_a_repeated_exercise_says_in_its_steps_how_often_from_the_dosage(slug):
    steps = render_steps(BY_SLUG[slug]["steps"], dosage=DosageFigures(sets=2, repetitions=12))
    assert any("the number of times your therapist set: 2 sets of 12" in s for s in steps)


def test_the_steps_of_the_catalog_say_that_the_therapist_sets_the_numbers():
    steps = render_steps(BY_SLUG["prone-press-up"]["steps"])
    assert "Hold the top position for the time your therapist sets." in steps
    assert not any("{" in step for step in steps)


def test_a_step_without_a_hold_prescribed_says_for_a_moment():
    steps = render_steps(BY_SLUG["prone-press-up"]["steps"], dosage=DosageFigures(hold_seconds=0))
    assert "Hold the top position for a moment." in steps


def test_braces_that_are_not_placeholders_stay_as_written():
    assert render_steps(["Count {slowly} {hold}"], dosage=DosageFigures(hold_seconds=4)) == [
        "Count {slowly} for the time your therapist set: 4 seconds"
    ]


@pytest.mark.parametrize(
    ("dosage", "words"),
    [
        (DosageFigures(repetitions=15, hold_seconds=5, every_hours=1),
         "15 times, hold 5 seconds, every hour"),
        (DosageFigures(repetitions=1, hold_seconds=90, times_per_day=4),
         "1 time, hold 1 minute 30 seconds, 4 times a day"),
        (DosageFigures(sets=3, repetitions=8, every_hours=3), "3 sets of 8, every 3 hours"),
    ],
)  # fmt: skip
def test_one_function_puts_a_dosage_into_words(dosage, words):
    assert dosage_text(dosage) == words


@pytest.mark.parametrize(
    ("side", "words"),
    [
        ("left", "Lie on your left side with both knees bent."),
        ("right", "Lie on your right side with both knees bent."),
        ("", "Lie on the side your therapist showed you with both knees bent."),
    ],
)
def test_a_one_sided_exercise_names_the_prescribed_side(side, words):
    assert render_steps(BY_SLUG["flexion-rotation"]["steps"], side=side)[0] == words


def test_the_off_centre_press_up_moves_the_hips_to_the_side_and_the_feet_the_other_way():
    first = render_steps(BY_SLUG["prone-press-up-hips-off-centre"]["steps"], side="right")[0]
    assert "hips over to the right and your feet over to the left" in first


def test_exactly_the_side_glide_the_off_centre_press_up_and_flexion_rotation_are_one_sided(db):
    sided = set(Exercise.objects.builtin().filter(sided=True).values_list("slug", flat=True))
    assert sided == {"standing-side-glide", "prone-press-up-hips-off-centre", "flexion-rotation"}


EXTENSION = [s for s, e in BY_SLUG.items() if e["direction"] == "extension"]
FLEXION = [s for s, e in BY_SLUG.items() if e["direction"] == "flexion"]


@pytest.mark.parametrize("slug", EXTENSION)
def test_every_extension_exercise_warns_that_it_can_aggravate_spinal_stenosis(slug):
    assert "spinal stenosis" in BY_SLUG[slug]["cautions"]
    assert "bending backwards can make your symptoms worse" in BY_SLUG[slug]["cautions"]


@pytest.mark.parametrize("slug", FLEXION)
def test_every_flexion_exercise_says_a_backward_bend_usually_follows_when_the_therapist_says_so(
    slug,
):
    cautions = BY_SLUG[slug]["cautions"]
    assert "backward-bending exercise" in cautions
    assert "whenever they have told you to" in cautions


def test_resting_is_explained_as_easing_off_not_bed_rest():
    cautions = BY_SLUG["prone-lying"]["cautions"]
    assert "ease off" in cautions
    assert "does not mean bed rest" in cautions
    assert "rest for a day or two" not in cautions.lower()


def test_every_cautions_text_starts_with_the_stop_rule_and_reaches_the_database(db):
    for exercise in Exercise.objects.builtin():
        assert exercise.cautions == BY_SLUG[exercise.slug]["cautions"]
        assert exercise.cautions.startswith("Stop straight away and contact your therapist")
