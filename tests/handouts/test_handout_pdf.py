"""The handout PDF, read back as a patient would read it."""

import base64
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.utils import timezone
from PIL import Image
from weasyprint import HTML

from exercises.models import Exercise
from handouts.handout import handout_context
from handouts.pdf import EmptyHandoutError, HandoutRenderError, LocalFileFetcher, handout_pdf
from prescriptions.red_flags import QUESTIONS
from prescriptions.services import ItemSpec, create_prescription, revise_prescription
from tests.factories import make_prescription

from .pdfs import drawing_alts, figure_alts, pdf_text, read_pdf

A4 = (595, 842)
LETTER = (612, 792)


def page_size(data: bytes) -> tuple[int, int]:
    box = read_pdf(data).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_it_holds_the_patient_the_exercises_in_order_the_dosage_and_the_safety_rules(
    prescription,
):
    text = pdf_text(handout_pdf(prescription))
    items = list(prescription.items.select_related("exercise").order_by("position"))
    assert len(items) == 7
    assert "Paula Jones" in text
    assert prescription.prescribed_by.get_full_name() in text
    assert "Harbour Physio" in text
    positions = [text.index(item.exercise.name) for item in items]
    assert positions == sorted(positions), "exercises in program order"
    for item in items:
        assert item.dosage_text in text
    assert "10 times, hold 2 seconds, every 2 hours" in text
    assert "Stop and contact your therapist if" in text
    assert "Pain spreads away from your spine into your buttock, thigh or leg." in text
    assert "Seek urgent medical care now" in text
    assert "Contact your doctor or your clinic today" in text
    for question in QUESTIONS:
        assert str(question.text) in text


def test_it_gives_the_portal_address_in_words_beside_the_qr_code(prescription):
    text = pdf_text(handout_pdf(prescription))
    assert "127.0.0.1:8000/portal" in text


@override_settings(SITE_URL="https://physio.example.org")
def test_the_portal_address_follows_the_site_url(prescription):
    text = pdf_text(handout_pdf(prescription))
    assert "physio.example.org/portal" in text
    assert "127.0.0.1" not in text


def test_it_prints_each_steps_and_the_therapists_note(prescription):
    item = prescription.items.get(position=3)
    item.note = "Breathe out as you press up."
    item.save()
    text = pdf_text(handout_pdf(prescription))
    assert "Note from your therapist: Breathe out as you press up." in text
    assert "Hold the top position for the time your therapist set: 2 seconds." in text


def test_it_carries_a_paper_log_sheet_and_a_daily_check(prescription):
    text = pdf_text(handout_pdf(prescription))
    assert "Your log sheet" in text
    assert "Your daily check" in text
    assert "Centre of the low back" in text and "Below the knee" in text


def test_every_exercise_has_its_drawing_in_the_pdf(prescription):
    alts = drawing_alts(handout_pdf(prescription))
    names = [item.exercise.name for item in prescription.items.order_by("position")]
    assert len(alts) == len(names) == 7
    assert all(alts), "each drawing is described for screen readers"
    assert alts[0].startswith("A person lies face down")


def test_a_one_exercise_program_is_the_safety_page_its_exercise_and_the_sheets(patient, therapist):
    # The safety page; the exercise with its week and the start of the log sheet;
    # the rest of the log sheet and the daily check.
    one = make_prescription(patient, therapist, first=1)
    data = handout_pdf(one)
    pages = len(read_pdf(data).pages)
    assert 3 <= pages <= 4
    assert f"Page 1 of {pages}" in pdf_text(data)


def test_a_ten_exercise_program_stays_a_booklet(patient, therapist):
    # Safety page, ten exercise cards, the week, a log table per exercise, the daily check.
    ten = make_prescription(patient, therapist, exercises=list(Exercise.objects.builtin())[:10])
    data = handout_pdf(ten)
    pages = len(read_pdf(data).pages)
    assert 8 <= pages <= 12
    text = pdf_text(data)
    assert f"Page {pages} of {pages}" in text
    assert len(drawing_alts(data)) == 10


def test_the_paper_size_is_the_clinics_choice(clinic, prescription):
    assert page_size(handout_pdf(prescription)) == A4
    clinic.paper_size = "LETTER"
    clinic.save()
    prescription.refresh_from_db()
    assert page_size(handout_pdf(prescription)) == LETTER


def test_a_program_without_exercises_has_no_handout(patient, therapist):
    empty = create_prescription(patient=patient, by=therapist, items=[])
    with pytest.raises(EmptyHandoutError, match="no exercises"):
        handout_pdf(empty)


def test_a_draft_says_so_on_the_paper(patient, therapist):
    draft = make_prescription(patient, therapist, first=2, activate=False)
    assert "Draft: this program has not been given to the patient yet." in pdf_text(
        handout_pdf(draft)
    )


@pytest.mark.hazard("H-07")
def test_an_old_version_says_that_it_has_ended(prescription, therapist):
    revise_prescription(
        prescription=prescription,
        items=[ItemSpec.from_item(item) for item in prescription.items.all()][:3],
        by=therapist,
    )
    prescription.refresh_from_db()
    assert "This version of the program ended on" in pdf_text(handout_pdf(prescription))


def test_a_clinics_own_exercise_shows_its_uploaded_picture(tmp_path, clinic, patient, therapist):
    with override_settings(MEDIA_ROOT=tmp_path):
        picture = tmp_path / "exercises" / str(clinic.pk) / "bridge.png"
        picture.parent.mkdir(parents=True)
        Image.new("RGB", (120, 60), "#445566").save(picture)
        bridge = Exercise.objects.create(
            clinic=clinic,
            slug="bridge",
            name="Bridge",
            position="supine",
            direction="extension",
            steps=["Lie on your back.", "Lift your hips."],
            purpose="Strength.",
            cautions="Stop if it hurts.",
            default_times_per_day=2,
            image=f"exercises/{clinic.pk}/bridge.png",
        )
        data = handout_pdf(make_prescription(patient, therapist, exercises=[bridge]))
    images = {
        obj.idnum
        for page in read_pdf(data).pages
        for obj in (page["/Resources"].get("/XObject") or {}).values()
        if obj.get_object().get("/Subtype") == "/Image"
    }
    assert len(images) == 1
    assert drawing_alts(data) == ["Bridge"]


def test_a_picture_replaced_on_disk_is_the_one_the_next_handout_shows(
    tmp_path, clinic, patient, therapist
):
    def image_sizes(data):
        return {
            (obj.get_object()["/Width"], obj.get_object()["/Height"])
            for page in read_pdf(data).pages
            for obj in (page["/Resources"].get("/XObject") or {}).values()
            if obj.get_object().get("/Subtype") == "/Image"
        }

    with override_settings(MEDIA_ROOT=tmp_path):
        picture = tmp_path / "exercises" / str(clinic.pk) / "bridge.png"
        picture.parent.mkdir(parents=True)
        Image.new("RGB", (120, 60), "#445566").save(picture)
        bridge = Exercise.objects.create(
            clinic=clinic,
            slug="bridge",
            name="Bridge",
            position="supine",
            direction="extension",
            steps=["Lie on your back.", "Lift your hips."],
            purpose="Strength.",
            cautions="Stop if it hurts.",
            default_times_per_day=2,
            image=f"exercises/{clinic.pk}/bridge.png",
        )
        prescription = make_prescription(patient, therapist, exercises=[bridge])
        first = handout_pdf(prescription)
        # The clinic uploads a new picture under the same name.
        Image.new("RGB", (40, 90), "#112233").save(picture)
        second = handout_pdf(prescription)
    assert image_sizes(first) == {(120, 60)}
    assert image_sizes(second) == {(40, 90)}


def test_the_cache_gives_the_same_bytes_for_the_same_version(prescription, monkeypatch):
    first = handout_pdf(prescription)

    def renderer_gone(*args, **kwargs):
        raise AssertionError("rendered again instead of using the cache")

    monkeypatch.setattr(HTML, "write_pdf", renderer_gone)
    assert handout_pdf(prescription) == first


@pytest.mark.hazard("H-07")
def test_a_revision_gives_a_new_handout(prescription, therapist):
    before = handout_pdf(prescription)
    items = [ItemSpec.from_item(item) for item in prescription.items.all()]
    items[2] = ItemSpec.from_exercise(items[2].exercise, repetitions=15, every_hours=3)
    revised = revise_prescription(prescription=prescription, items=items, by=therapist)
    after = handout_pdf(revised)
    assert after != before
    assert "15 times, hold 2 seconds, every 3 hours" in pdf_text(after)
    assert "Version 2" in pdf_text(after) or "version 2" in pdf_text(after)


def test_a_corrected_exercise_text_gives_new_bytes_for_the_same_version(prescription):
    before = handout_pdf(prescription)
    press_up = Exercise.objects.builtin().get(slug="prone-press-up")
    press_up.steps = [*press_up.steps, "Rest for a moment at the bottom."]
    press_up.save()
    after = handout_pdf(prescription)
    assert after != before
    assert "Rest for a moment at the bottom." in pdf_text(after)


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
)
def test_a_cache_server_that_is_down_does_not_stop_the_handout(prescription, caplog):
    assert "Paula Jones" in pdf_text(handout_pdf(prescription))
    assert "Handout cache unavailable" in caplog.text


def test_a_renderer_failure_is_a_handout_render_error(prescription, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("cairo exploded")

    monkeypatch.setattr(HTML, "write_pdf", crash)
    with pytest.raises(HandoutRenderError) as raised:
        handout_pdf(prescription)
    assert isinstance(raised.value.__cause__, RuntimeError)


def test_the_qr_code_is_described_for_screen_readers(prescription):
    assert figure_alts(handout_pdf(prescription))[0] == (
        "QR code: the address of the Centra exercise portal"
    )


def test_the_handout_speaks_the_patients_language(patient, therapist):
    patient.preferred_language = "es"
    patient.save()
    program = make_prescription(patient, therapist, first=1)
    text = pdf_text(handout_pdf(program))
    assert timezone.localtime(program.activated_at).strftime("%-d") + " mar 2026" in text
    assert "Mar 2026" not in text


def test_the_context_is_plain_data_in_program_order(prescription):
    context = handout_context(prescription)
    assert [item["number"] for item in context["items"]] == list(range(1, 8))
    assert context["portal_url"] == "http://127.0.0.1:8000/portal/"
    assert context["portal_address"] == "127.0.0.1:8000/portal"
    assert context["portal_qr_svg"].startswith("<svg")
    assert context["page_size"] == "A4"
    assert context["log_lines"] == 7
    assert len(context["week_days"]) == 7


class TestTheFileFetcher:
    def test_it_reads_a_drawing_from_disk(self):
        drawing = Path(finders.find("exercises/drawings/prone-lying.svg"))
        response = LocalFileFetcher()(drawing.as_uri())
        assert response.content_type == "image/svg+xml"
        assert response.read() == drawing.read_bytes()

    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1:8000/static/exercises/drawings/prone-lying.svg",
            "https://example.org/picture.png",
            "ftp://example.org/picture.png",
            "file:///etc/passwd",
            "data:image/svg+xml,<svg/>",
        ],
    )
    def test_it_refuses_the_network_and_files_outside_static_and_media(self, url):
        with pytest.raises(ValueError):
            LocalFileFetcher()(url)

    def test_it_reads_the_forms_drawings_from_their_data_urls(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="1mm" height="1mm"/>'
        response = LocalFileFetcher()("data:image/svg+xml;base64," + base64.b64encode(svg).decode())
        assert response.content_type == "image/svg+xml"
        assert response.read() == svg

    @pytest.mark.parametrize(
        "url",
        [
            "data:text/html;base64," + base64.b64encode(b"<p>hi</p>").decode(),
            "data:image/svg+xml;base64,not base64!",
        ],
    )
    def test_it_refuses_other_data_urls(self, url):
        with pytest.raises(ValueError):
            LocalFileFetcher()(url)

    def test_it_refuses_a_path_that_climbs_out_of_the_static_folder(self, settings):
        sneaky = Path(settings.BASE_DIR, "static", "..", "config", "settings.py")
        with pytest.raises(ValueError):
            LocalFileFetcher()(sneaky.as_uri())


def test_the_footer_prints_a_clinic_name_with_quotes_and_markup_as_written(prescription):
    clinic = prescription.patient.clinic
    clinic.name = 'The "Back" Clinic \\ </style> Ltd'
    clinic.phone = ""
    clinic.save()
    prescription.refresh_from_db()
    pages = [
        " ".join(page.extract_text().split()) for page in read_pdf(handout_pdf(prescription)).pages
    ]
    assert all('The "Back" Clinic \\ </style> Ltd' in page for page in pages)
    assert pages[-1].endswith(f"Page {len(pages)} of {len(pages)}")


@pytest.mark.hazard("H-02")
def test_it_prints_the_clinics_emergency_number_and_the_full_red_flag_screen(prescription):
    clinic = prescription.patient.clinic
    clinic.emergency_number = "999"
    clinic.save()
    text = pdf_text(handout_pdf(prescription))
    assert "The emergency number: 999" in text
    assert "constant pain at night" in text.lower()
    assert "back passage or genitals" in text
