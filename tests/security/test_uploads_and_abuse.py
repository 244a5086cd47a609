"""Size caps, clean pictures, and limits on password resets and portal activations."""

import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from PIL import Image

from exercises.models import Exercise
from tests.dashboard.test_catalog import CREATE, exercise_data, picture
from tests.factories import make_patient


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_request_declaring_50_megabytes_is_refused_before_it_is_read(therapist_client, clinic):
    response = therapist_client.post(
        CREATE, {**exercise_data(), "image": picture()}, CONTENT_LENGTH=str(50 * 1024 * 1024)
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "The file is too large" in page and "A picture can be at most 2 MB" in page
    assert not Exercise.objects.filter(clinic=clinic).exists()


def test_an_oversized_api_request_gets_a_problem_document(client):
    response = client.post(
        "/api/v1/patients/",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(10 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 413


def test_the_request_cap_is_a_setting(therapist_client, clinic, settings):
    settings.REQUEST_MAX_BYTES = 1024
    response = therapist_client.post(CREATE, {**exercise_data(), "image": picture()})
    assert response.status_code == 413


def test_a_png_with_html_appended_is_stored_as_a_clean_picture(therapist_client, clinic):
    payload = b"<html><script>alert(document.cookie)</script></html>"
    upload = picture()
    upload = type(upload)("evil.png", upload.read() + payload, "image/png")

    therapist_client.post(CREATE, {**exercise_data(), "image": upload})

    exercise = Exercise.objects.get(clinic=clinic)
    stored = exercise.image.read()
    assert b"<script" not in stored and b"<html" not in stored
    assert stored.endswith(b"IEND\xaeB`\x82")
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size) == ("PNG", (40, 30))


def test_a_jpeg_loses_its_metadata_when_stored(therapist_client, clinic):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    Image.new("RGB", (20, 10), "red").save(buffer, format="JPEG", exif=exif)
    upload = type(picture())("photo.jpg", buffer.getvalue(), "image/jpeg")

    therapist_client.post(CREATE, {**exercise_data(), "image": upload})

    stored = Exercise.objects.get(clinic=clinic).image.read()
    assert b"secret description" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"


def ask_for_reset(client, email, address="10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_resets_for_one_address_are_limited_with_a_clear_message(client, therapist):
    answers = [ask_for_reset(client, therapist.email, f"10.0.0.{n}") for n in range(9)]

    assert [a.status_code for a in answers[:3]] == [302, 302, 302]
    assert {a.status_code for a in answers[3:]} == {429}
    assert "Too many reset requests" in answers[-1].content.decode()
    assert len(mail.outbox) == 3


def test_the_reset_limit_counts_every_spelling_of_the_address(client, therapist):
    for spelling in ["tess@example.test", "TESS@example.test", "Tess@Example.Test"]:
        ask_for_reset(client, spelling, "10.0.0.9")
    assert ask_for_reset(client, "tess@EXAMPLE.test", "10.0.0.10").status_code == 429


def test_password_resets_from_one_ip_are_limited(client, db):
    answers = [ask_for_reset(client, f"person{n}@example.test") for n in range(11)]
    assert [a.status_code for a in answers[:10]] == [302] * 10
    assert answers[10].status_code == 429


def test_portal_activation_attempts_are_limited_per_link(clinic, therapist):
    newcomer = make_patient(clinic, first_name="Nina")
    _invitation, token = newcomer.invite(by=therapist)
    url = reverse("portal:activate", args=[token])
    mismatched = {"username": "nina", "password1": "a-long-pass-91", "password2": "other-91"}
    answers = [Client(REMOTE_ADDR=f"10.1.0.{n}").post(url, mismatched) for n in range(11)]
    assert {a.status_code for a in answers[:10]} == {400}
    assert answers[10].status_code == 429
    assert "Too many tries" in answers[10].content.decode()
    newcomer.refresh_from_db()
    assert newcomer.user is None


def test_portal_activation_attempts_are_limited_per_ip(db):
    phone = Client(REMOTE_ADDR="10.2.0.1")
    answers = [phone.post(reverse("portal:activate", args=[f"guess-{n}"]), {}) for n in range(31)]
    assert {a.status_code for a in answers[:30]} == {404}
    assert answers[30].status_code == 429
