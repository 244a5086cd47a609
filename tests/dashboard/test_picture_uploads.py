"""Pictures that are too large, in bytes or in pixels, for a clinic logo or an
exercise picture: one clear message beside the field, or a page that leads back."""

import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from exercises.models import Exercise
from tests.dashboard.test_catalog import CREATE, exercise_data
from tests.dashboard.test_clinic_settings import settings_data

SETTINGS = reverse("dashboard:clinic_settings")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png_of_size(width: int, height: int) -> bytes:
    """A PNG that says it is `width` x `height`, without the memory a real one needs
    to be made: a small grey picture whose header (and its checksum) is rewritten.
    Pillow reads the size from the header, which is what these checks look at."""
    buffer = io.BytesIO()
    Image.new("L", (8, 8), 128).save(buffer, format="PNG")
    data = buffer.getvalue()
    header = b"IHDR" + struct.pack(">II", width, height) + data[24:29]
    return data[:12] + header + struct.pack(">I", zlib.crc32(header)) + data[33:]


def noise_png(min_bytes: int) -> bytes:
    """A real PNG of random pixels, which no compression makes smaller than `min_bytes`."""
    side = int((min_bytes / 3) ** 0.5) + 20
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    assert len(buffer.getvalue()) > min_bytes
    return buffer.getvalue()


def post_logo(client, content: bytes):
    upload = SimpleUploadedFile("logo.png", content, "image/png")
    return client.post(SETTINGS, settings_data(logo=upload))


def post_exercise_picture(client, content: bytes):
    upload = SimpleUploadedFile("drawing.png", content, "image/png")
    return client.post(CREATE, {**exercise_data(), "image": upload})


# 10000 px a side is where Pillow warns of a decompression bomb, 15000 where it refuses.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("side", [9000, 10000, 15000])
@pytest.mark.parametrize(("post", "field"), [(post_logo, "logo"), (post_exercise_picture, "image")])
def test_a_picture_too_large_in_pixels_says_so_however_large(
    therapist_client, clinic, side, post, field
):
    response = post(therapist_client, png_of_size(side, side))

    assert response.status_code in (200, 400)
    assert response.context["form"].errors[field] == [
        "The picture is too large: at most 6000 pixels a side."
    ]
    clinic.refresh_from_db()
    assert not clinic.logo and not Exercise.objects.filter(clinic=clinic).exists()


def test_a_picture_within_the_request_cap_but_over_2_mb_is_a_field_error(therapist_client, clinic):
    page = therapist_client.get(SETTINGS).content.decode()
    assert "PNG, JPEG or WebP, at most 2 MB." in page
    assert 'data-max-bytes="2097152"' in page

    response = post_logo(therapist_client, noise_png(int(2.2 * 1024 * 1024)))

    assert response.status_code == 400
    assert response.context["form"].errors["logo"] == ["The picture is larger than 2 MB."]


def test_a_request_over_the_cap_gets_a_page_in_the_sites_layout_that_leads_back(
    therapist_client, clinic
):
    response = therapist_client.post(
        SETTINGS, settings_data(), CONTENT_LENGTH=str(int(4.3 * 1024 * 1024))
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "<h1>The file is too large</h1>" in page
    assert "A picture can be at most 2 MB" in page
    assert f'href="{SETTINGS}"' in page and "Back to the form" in page
    assert 'class="site-header"' in page
    clinic.refresh_from_db()
    assert clinic.emergency_number == "112", "nothing saved"


def test_the_too_large_page_never_links_off_the_site(client):
    response = client.post("//evil.example/x", CONTENT_LENGTH=str(10 * 1024 * 1024))

    assert response.status_code == 413
    assert 'href="//evil.example' not in response.content.decode()


def test_the_logo_is_shown_as_a_picture_with_a_remove_box(therapist_client, clinic):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), "teal").save(buffer, format="PNG")
    assert post_logo(therapist_client, buffer.getvalue()).status_code == 302
    clinic.refresh_from_db()

    page = therapist_client.get(SETTINGS).content.decode()

    assert f'src="{clinic.logo.url}" alt="The current logo"' in page
    assert f">{clinic.logo.name}<" not in page and f"{clinic.logo.name}</a>" not in page
    assert '<input type="checkbox" name="logo-clear" id="logo-clear_id">' in page
    assert "Remove logo" in page

    response = therapist_client.post(SETTINGS, settings_data(**{"logo-clear": "on"}))

    assert response.status_code == 302
    clinic.refresh_from_db()
    assert not clinic.logo
    assert "The current logo" not in therapist_client.get(SETTINGS).content.decode()
