"""The catalog page and the clinic's own exercises."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from clinics.models import AuditEvent
from exercises.models import Exercise
from prescriptions.services import ItemSpec, create_prescription
from tests.factories import make_exercise_for

CATALOG = "/exercises/"
CREATE = "/exercises/new/"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def picture(fmt="PNG", name="drawing.png", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def exercise_data(**overrides):
    data = {
        "name": "Wall lean",
        "position": "standing",
        "direction": "extension",
        "steps_text": "Stand facing a wall.\n\n  Lean your hips towards it.  \nCome back.",
        "purpose": "A gentle standing extension.",
        "cautions": "Stop if pain spreads into your leg.",
        "default_sets": 1,
        "default_repetitions": 10,
        "default_hold_seconds": 2,
        "default_frequency": "per_day",
        "default_frequency_value": 4,
    }
    data.update(overrides)
    return data


def test_it_shows_the_built_in_exercises_with_steps_cautions_and_dosage(therapist_client):
    content = therapist_client.get(CATALOG).content.decode()
    lying = Exercise.objects.builtin().get(slug="prone-lying")
    assert lying.name in content
    assert lying.steps[0][:30] in content
    assert "Stop straight away and contact your therapist" in content
    assert "1 time, hold 3 minutes, every 2 hours" in content


def test_it_shows_the_progressions_in_their_order(therapist_client):
    content = therapist_client.get(CATALOG).content.decode()
    section = content[content.index("Extension progression") :]
    assert (
        section.index("Prone lying")
        < section.index("Prone props")
        < section.index("Prone press-up")
    )


def test_it_shows_the_clinics_own_exercises_and_not_another_clinics(
    therapist_client, clinic, other_clinic
):
    make_exercise_for(clinic, "wall-lean")
    make_exercise_for(other_clinic, "secret-move")
    content = therapist_client.get(CATALOG).content.decode()
    assert "Wall lean" in content
    assert "Secret move" not in content


def test_it_filters_by_direction_and_position(therapist_client):
    response = therapist_client.get(CATALOG, {"direction": "flexion", "position": "sitting"})
    assert [e.slug for e in response.context["builtin"]] == ["seated-lumbar-flexion"]


def test_it_creates_a_clinic_exercise_with_a_picture(therapist_client, clinic):
    response = therapist_client.post(CREATE, {**exercise_data(), "image": picture()})
    exercise = Exercise.objects.get(clinic=clinic)
    assert response["Location"] == f"{CATALOG}#exercise-{exercise.pk}"
    assert exercise.slug == "wall-lean"
    assert exercise.steps == ["Stand facing a wall.", "Lean your hips towards it.", "Come back."]
    assert (exercise.default_times_per_day, exercise.default_every_hours) == (4, None)
    assert exercise.image.name.endswith(".png")
    assert "drawing" not in exercise.image.name
    assert AuditEvent.objects.filter(action="create", object_type="exercise").exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile(
                "x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"
            ),
            "Upload a valid image",
        ),
        (SimpleUploadedFile("x.png", b"not an image at all", "image/png"), "Upload a valid image"),
        (picture("GIF", "x.gif"), "Upload a PNG, JPEG or WebP picture."),
        (picture("PNG", "big.png", size=(1, 1)), None),
    ],
)
def test_it_accepts_only_png_jpeg_or_webp_by_content(therapist_client, clinic, upload, message):
    response = therapist_client.post(CREATE, {**exercise_data(), "image": upload})
    if message is None:
        assert Exercise.objects.filter(clinic=clinic).exists()
    else:
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Exercise.objects.filter(clinic=clinic).exists()


def test_it_refuses_a_picture_over_two_megabytes(therapist_client, clinic):
    big = SimpleUploadedFile("big.png", picture().read() + b"\0" * (2 * 1024 * 1024), "image/png")
    response = therapist_client.post(CREATE, {**exercise_data(), "image": big})
    assert "larger than 2 MB" in response.content.decode()
    assert not Exercise.objects.filter(clinic=clinic).exists()


def test_it_refuses_a_name_already_in_the_catalog(therapist_client, clinic):
    response = therapist_client.post(CREATE, exercise_data(name="prone lying"))
    assert "already has an exercise with this name" in response.content.decode()
    assert not Exercise.objects.filter(clinic=clinic).exists()


def test_it_edits_the_clinics_own_exercise(therapist_client, clinic):
    exercise = make_exercise_for(clinic, "wall-lean")
    url = reverse("exercises:edit", kwargs={"pk": exercise.pk})
    assert "Stand tall." in therapist_client.get(url).content.decode()
    data = exercise_data(name="Wall lean", default_frequency="every_hours")
    therapist_client.post(url, data)
    exercise.refresh_from_db()
    assert (exercise.default_every_hours, exercise.default_times_per_day) == (4, None)
    assert exercise.slug == "wall-lean"
    assert AuditEvent.objects.filter(action="update", object_type="exercise").exists()


def test_a_built_in_exercise_cannot_be_edited(therapist_client):
    lying = Exercise.objects.builtin().get(slug="prone-lying")
    url = reverse("exercises:edit", kwargs={"pk": lying.pk})
    assert therapist_client.get(url).status_code == 404
    assert therapist_client.post(url, exercise_data()).status_code == 404


def test_another_clinic_gets_404_for_the_exercise(stranger_client, clinic):
    exercise = make_exercise_for(clinic, "wall-lean")
    url = reverse("exercises:edit", kwargs={"pk": exercise.pk})
    assert stranger_client.get(url).status_code == 404
    assert stranger_client.post(url, exercise_data(name="Hacked")).status_code == 404
    exercise.refresh_from_db()
    assert exercise.name == "Wall lean"


def test_the_pages_refuse_the_wrong_method(therapist_client, clinic):
    exercise = make_exercise_for(clinic, "wall-lean")
    assert therapist_client.post(CATALOG).status_code == 405
    assert therapist_client.delete(CREATE).status_code == 405
    url = reverse("exercises:edit", kwargs={"pk": exercise.pk})
    assert therapist_client.delete(url).status_code == 405


def test_anonymous_visitors_go_to_the_login(client, clinic):
    exercise = make_exercise_for(clinic, "wall-lean")
    for url in (CATALOG, CREATE, reverse("exercises:edit", kwargs={"pk": exercise.pk})):
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_a_clinic_exercise_can_be_one_sided_with_the_prescribed_numbers_in_its_steps(
    therapist_client, clinic, patient, therapist
):
    steps = "Stand with {your_side} to the wall.\nHold the lean {hold}.\nDo this {repetitions}."
    therapist_client.post(CREATE, exercise_data(steps_text=steps, sided="on"))
    exercise = Exercise.objects.get(clinic=clinic)
    assert exercise.sided
    spec = ItemSpec.from_exercise(exercise, repetitions=6, hold_seconds=4, side="right")
    item = create_prescription(patient=patient, by=therapist, items=[spec]).items.get()
    assert item.steps == [
        "Stand with your right side to the wall.",
        "Hold the lean for the time your therapist set: 4 seconds.",
        "Do this the number of times your therapist set: 6 times.",
    ]
