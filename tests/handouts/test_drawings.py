"""Every built-in exercise has its own drawing, as a clean, self-contained SVG."""

from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from exercises.catalog import EXERCISES
from exercises.models import Exercise

SVG = "{http://www.w3.org/2000/svg}"
DRAWINGS = Path(settings.BASE_DIR) / "static" / "exercises" / "drawings"
SLUGS = [entry["slug"] for entry in EXERCISES]


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


def test_the_ten_drawings_are_ten_different_pictures():
    contents = {(DRAWINGS / f"{slug}.svg").read_bytes() for slug in SLUGS}
    assert len(contents) == len(SLUGS) == 10


@pytest.mark.django_db
def test_the_catalog_points_each_exercise_at_its_drawing_for_the_web_pages():
    for exercise in Exercise.objects.builtin():
        assert exercise.illustration == f"exercises/drawings/{exercise.slug}.svg"
        assert finders.find(exercise.illustration), exercise.slug
        assert exercise.image_url.endswith(f"/exercises/drawings/{exercise.slug}.svg")
