"""exercises/ and progressions/: the built-in catalog and the clinic's own."""

import pytest

from exercises.models import Exercise, Progression, ProgressionStep


def make_exercise(clinic, slug, **fields):
    values = {
        "name": slug.replace("-", " ").title(),
        "position": "standing",
        "direction": "extension",
        "steps": ["Stand up.", "Lean back."],
        "purpose": "Testing.",
        "cautions": "Stop if pain spreads.",
        "default_times_per_day": 4,
    }
    values.update(fields)
    return Exercise.objects.create(clinic=clinic, slug=slug, **values)


def test_exercises_lists_built_ins_and_the_clinics_own(api, clinic, other_clinic):
    own = make_exercise(clinic, "wall-lean")
    make_exercise(other_clinic, "secret-move")

    response = api.get("/api/v1/exercises/?page_size=100")

    assert response.status_code == 200
    slugs = [row["slug"] for row in response.json()["results"]]
    assert "prone-lying" in slugs and "wall-lean" in slugs
    assert "secret-move" not in slugs
    assert response.json()["count"] == Exercise.objects.builtin().count() + 1
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == sorted(ids)
    row = next(r for r in response.json()["results"] if r["id"] == own.pk)
    assert row["builtin"] is False
    assert row["default_times_per_day"] == 4 and row["default_every_hours"] is None


def test_an_exercise_reads_with_its_steps_and_absolute_picture_url(api):
    exercise = Exercise.objects.builtin().get(slug="prone-press-up")

    response = api.get(f"/api/v1/exercises/{exercise.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "prone-press-up"
    assert body["builtin"] is True
    assert body["steps"] == exercise.catalog_steps
    assert body["default_every_hours"] == exercise.default_every_hours
    if exercise.image_url:
        assert body["image_url"].startswith("http://testserver/")


def test_another_clinics_exercise_is_404(api, other_clinic):
    foreign = make_exercise(other_clinic, "secret-move")

    assert api.get(f"/api/v1/exercises/{foreign.pk}/").status_code == 404
    assert api.get("/api/v1/exercises/999999/").status_code == 404


def test_the_catalog_is_read_only(api):
    response = api.post("/api/v1/exercises/", {"slug": "x"}, format="json")

    assert response.status_code == 405
    assert Exercise.objects.filter(slug="x").count() == 0


def test_progressions_list_their_steps_in_order(api):
    response = api.get("/api/v1/progressions/")

    assert response.status_code == 200
    extension = next(p for p in response.json()["results"] if p["slug"] == "extension")
    expected = list(
        ProgressionStep.objects.filter(progression__slug="extension", progression__clinic=None)
        .order_by("position")
        .values_list("exercise__slug", flat=True)
    )
    assert [step["exercise"]["slug"] for step in extension["steps"]] == expected
    assert [step["position"] for step in extension["steps"]] == sorted(
        step["position"] for step in extension["steps"]
    )


def test_progressions_show_the_graphs_branches_with_their_conditions(api):
    response = api.get("/api/v1/progressions/", HTTP_ACCEPT_LANGUAGE="en")

    by_slug = {p["slug"]: p for p in response.json()["results"]}
    lateral = [b for b in by_slug["extension"]["branches"] if b["kind"] == "lateral"]
    assert lateral == [
        {
            "kind": "lateral",
            "from_exercise": "prone-press-up-sustained",
            "to_progression": "lateral",
            "to_exercise": "prone-press-up-hips-off-centre",
            "when": "Pain on one side, or uneven, that does not centralize with backward bending.",
            "keeps_current": False,
        }
    ]
    returns = {b["to_exercise"] for b in by_slug["lateral"]["branches"] if b["kind"] == "return"}
    assert returns == {"prone-press-up"}
    assert by_slug["flexion"]["branches"] == []


def test_a_progression_reads_by_id_and_another_clinics_is_404(api, other_clinic):
    builtin = Progression.objects.builtin().get(slug="flexion")
    foreign = Progression.objects.create(
        clinic=other_clinic, slug="theirs", name="Theirs", direction="flexion"
    )

    assert api.get(f"/api/v1/progressions/{builtin.pk}/").json()["slug"] == "flexion"
    assert api.get(f"/api/v1/progressions/{foreign.pk}/").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/exercises/", "/api/v1/progressions/"])
def test_the_catalog_needs_a_key(url, anonymous_api, client_with_revoked_key):
    assert anonymous_api.get(url).status_code == 401
    assert client_with_revoked_key.get(url).status_code == 401


@pytest.mark.parametrize("page_size", [5, 50])
def test_listing_exercises_costs_the_same_queries_whatever_the_page_size(
    api, clinic, page_size, django_assert_num_queries
):
    for n in range(45):
        make_exercise(clinic, f"own-{n}")
    api.get("/api/v1/exercises/")  # records last use

    # key, count, page
    with django_assert_num_queries(3):
        response = api.get(f"/api/v1/exercises/?page_size={page_size}")
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [1, 2])
def test_listing_progressions_costs_the_same_queries_whatever_the_page_size(
    api, clinic, page_size, django_assert_num_queries
):
    Progression.objects.create(clinic=clinic, slug="own", name="Own", direction="flexion")
    api.get("/api/v1/exercises/")

    # key, count, page, steps with their exercises, branches
    with django_assert_num_queries(5):
        response = api.get(f"/api/v1/progressions/?page_size={page_size}")
    assert len(response.json()["results"]) == page_size
