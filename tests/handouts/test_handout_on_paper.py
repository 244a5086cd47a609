"""The handout as a clinic hands it out: print sizes for older eyes, the clinic's
and the therapist's details, the review date, the weekly schedule and a log sheet
that asks what the therapist's paper-entry form asks."""

import datetime
import io

import pdfplumber
import pytest
import zxingcpp
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from exercises.models import Exercise
from handouts.pdf import handout_pdf
from patients.models import Location
from prescriptions.models import AfterResponse, DuringResponse, NeuroSymptom
from prescriptions.red_flags import NEURO_ASKED_AS_RED_FLAG, QUESTIONS, Tier, questions
from tests.factories import make_prescription

from .pdfs import figure_alts, pdf_text, read_pdf


def printed_questions() -> list[str]:
    """The questions of the daily check: the nerve questions the red-flag table does not
    ask itself, then the table's."""
    return [
        *(
            str(label)
            for code, label in NeuroSymptom.choices
            if code not in NEURO_ASKED_AS_RED_FLAG
        ),
        *(str(question.text) for question in QUESTIONS),
    ]


# The running footer sits in the bottom page margin (17 mm); everything above it
# is the handout's text.
FOOTER_POINTS = 17 * 72 / 25.4


def text_sizes(data: bytes) -> list[tuple[float, str]]:
    """(size in points, character) of every printed character above the footer."""
    sizes = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                if char["text"].strip() and char["top"] < page.height - FOOTER_POINTS:
                    sizes.append((round(char["size"], 2), char["text"]))
    return sizes


def size_of(data: bytes, phrase: str) -> float:
    """The size of the first character of `phrase` where it is first printed."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for match in page.search(phrase, regex=False):
                return round(match["chars"][0]["size"], 2)
    raise AssertionError(f"{phrase!r} is not in the PDF")


def squashed(text: str) -> str:
    """Text without spaces and hyphens: a narrow table column breaks "Repetitions"
    as "Repeti- tions" and "off-centre" as "off- centre"."""
    return "".join(text.split()).replace("-", "").replace("\N{HYPHEN}", "")


def page_texts(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in read_pdf(data).pages]


def flowing_page_texts(data: bytes) -> list[str]:
    """Each page's text in the order it was set: a card's steps are not interleaved with
    the dosage box beside them."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            " ".join((page.extract_text(use_text_flow=True) or "").split()) for page in pdf.pages
        ]


@pytest.fixture
def ten(patient, therapist):
    return make_prescription(patient, therapist, exercises=list(Exercise.objects.builtin()))


class TestPrintSizes:
    def test_normal_print_is_at_least_11_points_with_larger_headings(self, prescription):
        data = handout_pdf(prescription)
        assert min(size for size, _ in text_sizes(data)) >= 11
        body = size_of(data, "Pain spreads away from your spine")
        assert size_of(data, "Seek urgent medical care now") > body
        assert size_of(data, "The emergency number") >= 11
        assert size_of(data, "Your home exercise program") > body

    def test_large_print_is_at_least_14_points(self, prescription):
        data = handout_pdf(prescription, large_print=True)
        assert min(size for size, _ in text_sizes(data)) >= 14
        assert size_of(data, "Seek urgent medical care now") > size_of(data, "Pain spreads away")

    @pytest.mark.parametrize(
        ("language", "large_print"), [("en", False), ("en", True), ("es", True)]
    )
    def test_every_exercise_stays_on_one_page(self, patient, ten, language, large_print):
        # Spanish runs longest, so its large print is the hardest case.
        patient.preferred_language = language
        patient.save()
        ten.refresh_from_db()
        data = handout_pdf(ten, large_print=large_print)
        pages = flowing_page_texts(data)
        with translation.override(language):
            items = list(ten.items.select_related("exercise").order_by("position"))
            named = [(item.exercise.name, item.steps) for item in items]
        for name, steps in named:
            # The first page naming the exercise is its own card (the schedule and
            # the log sheet come after all the cards).
            first = squashed(next(text for text in pages if name in text))
            for step in steps:
                # Squashed: a line may break after the hyphen of "press-up".
                assert squashed(" ".join(step.split()[-4:])) in first, (name, step)

    def test_a_spanish_card_does_not_repeat_the_general_stop_rule(self, patient, therapist):
        patient.preferred_language = "es"
        patient.save()
        program = make_prescription(patient, therapist, first=3)
        text = " ".join(pdf_text(handout_pdf(program)).split())
        # Printed once, in the stop box, not once more on every card.
        assert text.count("Pare enseguida y contacte con su fisioterapeuta") <= 1

    @pytest.mark.parametrize("paper", ["A4", "LETTER"])
    def test_no_row_of_the_forms_splits_across_two_pages(self, clinic, ten, paper):
        # Ten exercises in large print: the week, the log and the daily check all run
        # over more than one page, and each row keeps its words with its boxes.
        clinic.paper_size = paper
        clinic.save()
        ten.refresh_from_db()
        pages = [squashed(text) for text in page_texts(handout_pdf(ten, large_print=True))]
        sheets = pages[next(n for n, text in enumerate(pages) if "Yourweek" in text) :]
        rows = [
            *(f"{item.exercise.name}{item.dosage_text}" for item in ten.items.all()),
            *printed_questions(),
        ]
        for row in rows:
            assert any(squashed(row) in page for page in sheets), row

    @pytest.mark.parametrize(
        ("language", "large_print"), [("en", False), ("es", False), ("en", True), ("es", True)]
    )
    def test_each_group_of_the_daily_check_is_on_one_page(
        self, patient, prescription, language, large_print
    ):
        # Spanish questions run longer: a check too tall for one page breaks between
        # its two groups, never leaving one question alone on a page.
        patient.preferred_language = language
        patient.save()
        prescription.refresh_from_db()
        pages = [
            squashed(text)
            for text in page_texts(handout_pdf(prescription, large_print=large_print))
        ]
        with translation.override(language):
            groups = [
                [
                    squashed(str(label))
                    for code, label in NeuroSymptom.choices
                    if code not in NEURO_ASKED_AS_RED_FLAG
                ],
                *(
                    [squashed(str(question.text)) for question in questions([tier])]
                    for tier in Tier.values
                ),
            ]
        for group in groups:
            # The daily check is the last form: its questions' last mention is there.
            found = {
                max(n for n, page in enumerate(pages) if question in page) for question in group
            }
            assert len(found) == 1, (language, large_print, group)

    def test_the_patient_chooses_large_print_on_the_portal(self, patient_client, prescription):
        today = patient_client.get(reverse("portal:today")).content.decode()
        url = reverse("handouts:pdf", args=[prescription.pk]) + "?size=large"
        assert url in today
        response = patient_client.get(url)
        assert response.status_code == 200
        assert "-large.pdf" in response["Content-Disposition"]
        assert min(size for size, _ in text_sizes(response.content)) >= 14

    def test_the_therapist_finds_large_print_on_the_program_page(
        self, therapist_client, prescription
    ):
        page = therapist_client.get(reverse("prescriptions:detail", args=[prescription.pk]))
        url = reverse("handouts:pdf", args=[prescription.pk]) + "?size=large"
        assert url in page.content.decode()
        assert min(size for size, _ in text_sizes(therapist_client.get(url).content)) >= 14

    def test_a_patient_who_prefers_large_print_gets_it_unless_another_size_is_asked(
        self, therapist_client, patient, prescription
    ):
        patient.large_print = True
        patient.save()
        url = reverse("handouts:pdf", args=[prescription.pk])
        assert min(size for size, _ in text_sizes(therapist_client.get(url).content)) >= 14
        normal = therapist_client.get(url + "?size=normal").content
        assert min(size for size, _ in text_sizes(normal)) < 14
        page = therapist_client.get(reverse("patients:detail", args=[patient.pk]))
        assert url + "?size=normal" in page.content.decode()


class TestWhoToContact:
    def test_it_prints_the_clinics_address_phone_email_and_website(self, clinic, prescription):
        clinic.phone = "020 7946 0000"
        clinic.address = "12 Quay Street\nPortsmouth PO1 2AB"
        clinic.email = "hello@harbour.example"
        clinic.website = "https://www.harbour.example/"
        clinic.save()
        prescription.refresh_from_db()
        text = pdf_text(handout_pdf(prescription))
        assert "12 Quay Street, Portsmouth PO1 2AB" in text
        assert "020 7946 0000" in text
        assert "hello@harbour.example" in text
        assert "www.harbour.example" in text

    def test_it_names_the_prescribing_therapist_and_how_to_reach_them(
        self, clinic, therapist, prescription
    ):
        therapist.email = "tess@harbour.example"
        therapist.save()
        clinic.phone = "020 7946 0000"
        clinic.save()
        prescription.refresh_from_db()
        text = pdf_text(handout_pdf(prescription))
        assert f"Therapist {therapist.get_full_name()}" in text
        assert "Contact tess@harbour.example · 020 7946 0000" in text

    def test_the_start_date_and_the_review_date_when_set(self, prescription):
        text = pdf_text(handout_pdf(prescription))
        assert "Start date" in text
        assert "Review on" not in text
        prescription.review_on = datetime.date(2026, 12, 14)
        prescription.save()
        assert "Review on 14 Dec 2026" in pdf_text(handout_pdf(prescription))

    def test_dates_follow_the_patients_language(self, patient, prescription):
        patient.preferred_language = "es"
        patient.save()
        prescription.review_on = datetime.date(2026, 12, 14)
        prescription.save()
        prescription.refresh_from_db()
        assert "14 dic 2026" in pdf_text(handout_pdf(prescription))


class TestTheFooterSpeaksToItsReader:
    def test_the_patients_copy_says_your(self, patient_client, prescription):
        url = reverse("handouts:pdf", args=[prescription.pk])
        text = pdf_text(patient_client.get(url).content)
        assert "Your home exercise program, version 1" in text
        assert "Home exercise program of" not in text

    def test_the_therapists_copy_names_the_patient(self, therapist_client, prescription):
        url = reverse("handouts:pdf", args=[prescription.pk])
        text = pdf_text(therapist_client.get(url).content)
        assert "Home exercise program of Paula Jones, version 1" in text
        assert "Your home exercise program, version 1" not in text

    @pytest.mark.parametrize("language", ["en", "es"])
    def test_a_footer_too_long_for_one_line_breaks_between_its_parts(
        self, clinic, patient, prescription, language
    ):
        # Large print: the patient's footer takes two lines; the phone number stays whole.
        clinic.phone = "020 7946 0000"
        clinic.save()
        patient.preferred_language = language
        patient.save()
        prescription.refresh_from_db()
        with translation.override(language):
            call = _("Questions? Call %(phone)s") % {"phone": clinic.phone}
        with pdfplumber.open(io.BytesIO(handout_pdf(prescription, large_print=True))) as pdf:
            for page in pdf.pages:
                footer = page.crop((0, page.height - FOOTER_POINTS, page.width, page.height))
                lines = [" ".join(line.split()) for line in footer.extract_text().splitlines()]
                assert any(call in line for line in lines), lines


class TestScheduleAndLogSheet:
    def test_the_weekly_schedule_lists_each_exercise_and_how_often(self, prescription):
        text = pdf_text(handout_pdf(prescription))
        week = squashed(text[text.index("Your week") : text.index("Your log sheet")])
        assert squashed("Mon Tue Wed Thu Fri Sat Sun") in week
        for item in prescription.items.select_related("exercise"):
            assert squashed(item.exercise.name) in week
            assert squashed(item.dosage_text) in week

    @pytest.mark.parametrize(
        ("wake_start", "wake_end", "sessions"),
        [(datetime.time(8), datetime.time(20), 6), (datetime.time(7), datetime.time(22), 8)],
    )
    def test_each_day_has_a_box_per_session_the_portal_counts(
        self, patient, therapist, patient_client, wake_start, wake_end, sessions
    ):
        # Prone lying, every 2 hours: six sessions over 08:00-20:00, eight over 07:00-22:00.
        patient.wake_start, patient.wake_end = wake_start, wake_end
        patient.save()
        program = make_prescription(patient, therapist, first=1)
        assert program.items.get().every_hours == 2
        today = patient_client.get(reverse("portal:today")).content.decode()
        # The portal's Today draws one mark per session of the day (some are already
        # past, depending on the hour): the handout gives as many boxes a day.
        assert today.count('<li class="slot slot--') == sessions
        with pdfplumber.open(io.BytesIO(handout_pdf(program))) as pdf:
            (page,) = [page for page in pdf.pages if page.search("Your week")]
            top = page.search("Your week")[0]["top"]
            bottom = min((hit["top"] for hit in page.search("Your log sheet")), default=page.height)
            boxes = [
                rect
                for rect in page.rects
                if top < rect["top"] < bottom
                and 2 * 72 / 25.4 < rect["width"] < 6 * 72 / 25.4
                and abs(rect["width"] - rect["height"]) < 0.5
            ]
        assert len(boxes) == 7 * sessions

    def test_the_log_sheet_asks_what_the_paper_entry_form_asks_for_each_exercise(
        self, prescription
    ):
        data = handout_pdf(prescription)
        text = pdf_text(data)
        sheet = squashed(text[text.index("Your log sheet") :])
        items = list(prescription.items.select_related("exercise").order_by("position"))
        # One table, with the form's questions as its columns, headed again on every page
        # it runs over: each exercise's lines are under the questions on their page.
        columns = squashed(
            "Date and time Sets done Repetitions done Pain now (0 to 10) Where the pain "
            "reaches During the exercise After the exercise"
        )
        pages = [squashed(page.extract_text()) for page in read_pdf(data).pages]
        for item in items:
            group = squashed(f"{item.position}. {item.exercise.name} · {item.dosage_text}")
            # "1. Prone lying · 1 time, …" is the log's heading; the week names the
            # exercise without the dot before its dosage, the cards without the full stop.
            (page,) = [page for page in pages if group in page]
            assert columns in page
            assert page.index(columns) < page.index(group)
        # Every answer the form offers has its code on the sheet, in the form's order.
        for label in [*Location.labels, *DuringResponse.labels, *AfterResponse.labels]:
            assert squashed(str(label)) in sheet
        assert squashed("A It brought the pain on (Produce)") in sheet
        assert squashed("E The pain moved towards my spine (Centralize)") in sheet
        # And the questions the form asks about that day.
        for question in printed_questions():
            assert squashed(question) in sheet
        # A line a session fills an exercise's lines within days: the sheet says what next.
        assert squashed("When the lines of an exercise are full, go on on a fresh copy") in sheet


class TestLogoAndQrCode:
    def test_the_clinics_logo_is_printed(self, tmp_path, settings, clinic, prescription):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        settings.MEDIA_ROOT = tmp_path
        buffer = io.BytesIO()
        Image.new("RGB", (300, 100), "teal").save(buffer, format="PNG")
        clinic.logo = SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png")
        clinic.save()
        prescription.refresh_from_db()
        assert "Logo of Harbour Physio" in figure_alts(handout_pdf(prescription))

    @override_settings(SITE_URL="https://physio.example.org")
    @pytest.mark.parametrize("large_print", [False, True])
    def test_the_qr_code_still_decodes_to_the_portal(self, prescription, large_print):
        data = handout_pdf(prescription, large_print=large_print)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            picture = pdf.pages[0].to_image(resolution=200).original
        found = [code.text for code in zxingcpp.read_barcodes(picture)]
        assert found == ["https://physio.example.org/portal/"]
