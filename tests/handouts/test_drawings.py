"""Every built-in exercise has its own drawing, as a clean, self-contained SVG."""

import importlib.util
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from exercises.catalog import EXERCISES
from exercises.models import DRAWN_SIDE, Exercise

SVG = "{http://www.w3.org/2000/svg}"
DRAWINGS = Path(settings.BASE_DIR) / "static" / "exercises" / "drawings"
SLUGS = [entry["slug"] for entry in EXERCISES]
SIDED = sorted(entry["slug"] for entry in EXERCISES if entry.get("sided"))


@pytest.mark.parametrize("slug", SLUGS)
def test_each_builtin_exercise_has_a_valid_svg_drawing(slug):
    path = DRAWINGS / f"{slug}.svg"
    assert path.is_file(), f"no drawing for {slug}"
    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    # viewBox-based, so it stays crisp at any printed or screen size
    assert len(root.get("viewBox", "").split()) == 4
    assert root.findtext(f"{SVG}title", "").strip(), "a title for screen readers"
    assert root.findtext(f"{SVG}desc", "").strip(), "a description for screen readers"


@pytest.mark.parametrize("slug", SLUGS)
def test_a_drawing_needs_nothing_from_outside_and_runs_no_code(slug):
    source = (DRAWINGS / f"{slug}.svg").read_text()
    root = ElementTree.fromstring(source)
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert not tags & {"script", "image", "foreignObject", "text", "style"}
    assert "href" not in source
    assert "http://" not in source.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_each_drawing_is_a_different_picture():
    contents = {(DRAWINGS / f"{slug}.svg").read_bytes() for slug in SLUGS}
    assert len(contents) == len(SLUGS) == 13


@pytest.mark.parametrize(
    "slug", ["sitting-lumbar-roll", "slouch-overcorrect", "prone-press-up-sustained"]
)
def test_the_posture_corrections_and_the_sustained_press_up_have_drawings(slug):
    root = ElementTree.parse(DRAWINGS / f"{slug}.svg").getroot()
    assert root.findtext(f"{SVG}title", "") == next(
        e["name"] for e in EXERCISES if e["slug"] == slug
    )


def test_the_flexion_rotation_shows_the_shoulders_turning_flat_from_above():
    desc = ElementTree.parse(DRAWINGS / "flexion-rotation.svg").getroot().findtext(f"{SVG}desc")
    assert desc.startswith("Seen from above: lying on the right side")
    assert "chest faces the ceiling" in desc


@pytest.mark.django_db
def test_the_catalog_points_each_exercise_at_its_drawing_for_the_web_pages():
    for exercise in Exercise.objects.builtin():
        assert exercise.illustration == f"exercises/drawings/{exercise.slug}.svg"
        assert finders.find(exercise.illustration), exercise.slug
        assert exercise.image_url.endswith(f"/exercises/drawings/{exercise.slug}.svg")


def _generator():
    path = Path(settings.BASE_DIR) / "tools" / "drawings.py"
    spec = importlib.util.spec_from_file_location("drawings_script", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_the_committed_drawings_are_what_the_script_makes():
    made = _generator().files()
    assert set(made) == {f"{slug}.svg" for slug in SLUGS} | {f"{s}-left.svg" for s in SIDED}
    for name, svg in made.items():
        assert (DRAWINGS / name).read_text() == svg, f"run `make drawings` ({name})"


@pytest.mark.parametrize("slug", SIDED)
def test_a_one_sided_exercise_has_a_drawing_for_each_side(slug):
    assert DRAWN_SIDE == "right"
    right = ElementTree.parse(DRAWINGS / f"{slug}.svg").getroot()
    left = ElementTree.parse(DRAWINGS / f"{slug}-left.svg").getroot()
    assert "right" in right.findtext(f"{SVG}desc")
    assert "left" in left.findtext(f"{SVG}desc")
    assert left.get("viewBox") == right.get("viewBox")
    # Each panel turned over in place: the start stays on the left.
    assert left.find(f"{SVG}g").get("transform").startswith("matrix(-1 0 0 1")


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SIDED)
def test_the_catalog_points_a_left_side_at_the_left_drawing(slug):
    exercise = Exercise.objects.builtin().get(slug=slug)
    assert exercise.illustration_for("left") == f"exercises/drawings/{slug}-left.svg"
    assert exercise.illustration_for("right") == exercise.illustration
    assert finders.find(exercise.illustration_for("left"))


@pytest.mark.parametrize("slug", SLUGS)
def test_a_drawing_stays_simple_enough_to_render_fast(slug):
    root = ElementTree.parse(DRAWINGS / f"{slug}.svg").getroot()
    assert len(list(root.iter())) <= 60
