"""The therapist's side: measures on the patient page, entering them, ending an
episode, and the two discharge summaries read back."""

from datetime import timedelta

import pytest
from django.urls import reverse

from clinics.models import AuditEvent
from prescriptions.models import Episode, OutcomeMeasure, Prescription, SymptomLog
from prescriptions.outcomes import end_episode, record_outcome_measure
from prescriptions.services import record_symptom_log
from tests.factories import make_prescription
from tests.handouts.pdfs import pdf_text

pytestmark = pytest.mark.django_db

PSFS = [("Sitting through a film", 3), ("Putting on socks", 4), ("Lifting my grandson", 2)]


def measure(patient, instrument, **answers):
    return record_outcome_measure(
        patient=patient, instrument=instrument, answers=answers, source="portal"
    )[0]


def psfs(patient, bump=0):
    rows = [{"activity": a, "score": s + bump} for a, s in PSFS]
    return measure(patient, "psfs", activities=rows)


def log(patient, item, pain, location):
    record_symptom_log(
        patient=patient,
        item=item,
        pain=pain,
        location=location,
        during="centralize",
        after="better",
        sets_done=1,
        repetitions_done=10,
        source=SymptomLog.Source.PORTAL,
    )


@pytest.fixture
def improving(prescription, item, frozen_clock):
    """Paula, four weeks of care: pain down 4 points, function up 3, pain centralized."""
    patient = prescription.patient
    log(patient, item, 7, "thigh")
    measure(patient, "nprs", pain_now=7, pain_best=4, pain_worst=9)
    psfs(patient)
    frozen_clock.shift(timedelta(days=28))
    log(patient, item, 2, "central")
    measure(patient, "nprs", pain_now=2, pain_best=1, pain_worst=4)
    psfs(patient, bump=3)
    measure(patient, "groc", change=5)
    return patient


def test_the_patient_page_charts_the_measures_with_the_mcid_and_a_table(
    improving, therapist_client
):
    url = reverse("patients:detail", args=[improving.pk])
    response = therapist_client.get(url)
    text = response.text
    assert 'class="outcome-chart"' in text
    assert "MCID NPRS" in text and "MDC PSFS" in text
    assert "Improved by at least the minimal clinically important difference (2 points)." in text
    assert "Lifting my grandson: 5" in text  # the table beside the chart
    assert "6.7/10 → 2.3/10 (-4.4)" in text


def test_the_therapist_enters_measures_and_they_are_audited(therapist_client, prescription):
    patient = prescription.patient
    url = reverse("outcomes:new", args=[patient.pk])
    assert "Since your care began" not in therapist_client.get(url).text
    data = {"pain_now": "5", "pain_best": "2", "pain_worst": "8"}
    for n, (activity, score) in enumerate(PSFS, start=1):
        data |= {f"activity_{n}": activity, f"score_{n}": str(score)}
    response = therapist_client.post(url, data)
    assert response.status_code == 302
    stored = OutcomeMeasure.objects.filter(patient=patient)
    assert set(stored.values_list("source", flat=True)) == {"therapist"}
    assert stored.count() == 2
    assert AuditEvent.objects.filter(action="create", object_type="outcomemeasure").count() == 2


def test_bad_measures_give_form_errors_and_save_nothing(therapist_client, prescription):
    url = reverse("outcomes:new", args=[prescription.patient_id])
    response = therapist_client.post(url, {"pain_now": "12", "activity_1": "Walking"})
    assert response.status_code == 400
    assert {"pain_now", "pain_best", "score_1", "activity_2"} <= set(
        response.context["form"].errors
    )
    assert not OutcomeMeasure.objects.exists()


def test_another_clinic_gets_404_everywhere(client, other_clinic_therapist, improving):
    client.force_login(other_clinic_therapist)
    pk = improving.pk
    assert client.get(reverse("outcomes:new", args=[pk])).status_code == 404
    assert client.post(reverse("outcomes:discharge_request", args=[pk])).status_code == 404
    assert client.post(reverse("outcomes:episode_end", args=[pk])).status_code == 404
    episode = Episode.objects.get(patient=improving)
    url = reverse("handouts:discharge", args=[episode.pk, "patient"])
    assert client.get(url).status_code == 404
    assert not Episode.objects.filter(ended_at__isnull=False).exists()


def test_ending_the_episode_lists_it_with_both_summaries(improving, therapist_client, prescription):
    url = reverse("outcomes:episode_end", args=[improving.pk])
    response = therapist_client.post(
        url, {"summary_note": "Back to gardening.", "referring_doctor": "Dr Amara Osei"}
    )
    assert response.status_code == 302
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.ENDED
    episode = Episode.objects.get(patient=improving)
    page = therapist_client.get(reverse("patients:detail", args=[improving.pk])).text
    assert "Previous episodes" in page
    assert reverse("handouts:discharge", args=[episode.pk, "doctor"]) in page
    assert "No outcome measures in this episode yet" in page


def test_the_discharge_summaries_read_back(improving, therapist_client, therapist):
    episode = end_episode(
        patient=improving,
        by=therapist,
        summary_note="Back to gardening.",
        referring_doctor="Dr Amara Osei",
    )
    doctor = therapist_client.get(reverse("handouts:discharge", args=[episode.pk, "doctor"]))
    assert doctor.status_code == 200
    assert doctor["Content-Type"] == "application/pdf"
    text = pdf_text(doctor.content)
    assert "Discharge summary for the referring doctor" in text
    assert "Dr Amara Osei" in text
    assert "Paula Jones" in text
    assert "Improved by at least the minimal clinically important difference (2 points)." in text
    assert "-4.4" in text and "+3.0" in text
    assert "Version 1" in text
    assert "Thigh" in text or "thigh" in text
    assert "The pain centralized." in text
    assert "Back to gardening." in text
    patient_pdf = therapist_client.get(reverse("handouts:discharge", args=[episode.pk, "patient"]))
    patient_text = pdf_text(patient_pdf.content)
    assert "Your discharge summary" in patient_text
    assert "Dr Amara Osei" not in patient_text
    assert AuditEvent.objects.filter(action="download", object_type="episode").count() == 2


def test_the_doctor_reads_the_warnings_and_where_the_pain_reached_on_the_last_day(
    improving, item, therapist_client, therapist
):
    # The last day: a central log, then one with pain below the knee and new weakness.
    log(improving, item, 2, "central")
    record_symptom_log(
        patient=improving,
        item=item,
        pain=7,
        location="below_knee",
        during="peripheralize",
        after="worse",
        sets_done=1,
        repetitions_done=10,
        new_symptoms=["weakness"],
    )
    episode = end_episode(patient=improving, by=therapist, referring_doctor="Dr Amara Osei")
    doctor = pdf_text(
        therapist_client.get(reverse("handouts:discharge", args=[episode.pk, "doctor"])).content
    )
    assert "Warnings during care" in doctor
    assert "warnings were still open when care ended" in doctor
    assert "Still open" in doctor
    assert "New nerve symptoms" in doctor
    assert "Below the knee at the end" in doctor
    assert "The pain centralized." not in doctor
    # The rating of change is one rating: under "Last" only, not as a first score.
    assert "Global Rating of Change \N{EN DASH} +5" in doctor
    patient = pdf_text(
        therapist_client.get(reverse("handouts:discharge", args=[episode.pk, "patient"])).content
    )
    assert "Warnings during care" not in patient


def test_the_patient_gets_their_own_summary_but_not_the_doctors(
    improving, patient_client, therapist, other_patient
):
    episode = end_episode(patient=improving, by=therapist)
    assert (
        patient_client.get(reverse("handouts:discharge", args=[episode.pk, "patient"])).status_code
        == 200
    )
    assert (
        patient_client.get(reverse("handouts:discharge", args=[episode.pk, "doctor"])).status_code
        == 404
    )
    patient_client.force_login(other_patient.user)
    assert (
        patient_client.get(reverse("handouts:discharge", args=[episode.pk, "patient"])).status_code
        == 404
    )


def test_a_paper_log_dated_before_the_program_began_is_in_the_summary(
    prescription, item, therapist, therapist_client, frozen_clock
):
    # The evening before the first visit's program was switched on, typed in from paper
    # (a log may be dated up to a day before its program).
    from prescriptions.outcomes import episode_summary

    patient = prescription.patient
    record_symptom_log(
        patient=patient,
        item=item,
        logged_at=prescription.activated_at - timedelta(hours=20),
        pain=6,
        location="buttock",
        during="no_effect",
        after="no_worse",
        sets_done=1,
        repetitions_done=10,
        source=SymptomLog.Source.THERAPIST,
    )
    frozen_clock.shift(timedelta(days=3))
    log(patient, item, 3, "central")
    episode = end_episode(patient=patient, by=therapist)
    summary = episode_summary(episode)
    assert (summary.days_logged, summary.first_pain, summary.last_pain) == (2, 6.0, 3.0)
    assert summary.first_location == "buttock"
    assert summary.days_in_care == 5  # from the paper log's day to the discharge
    therapist_client.force_login(therapist)  # three days on: a new sign-in
    response = therapist_client.get(reverse("handouts:discharge", args=[episode.pk, "doctor"]))
    text = pdf_text(response.content)
    assert "No symptom logs were recorded" not in text


def test_an_episode_still_in_care_has_no_discharge_summary(
    improving, therapist_client, patient_client
):
    # Nobody is discharged yet: an address typed or kept gets no "discharge summary".
    episode = Episode.objects.get(patient=improving)
    for client, audience in ((therapist_client, "doctor"), (patient_client, "patient")):
        url = reverse("handouts:discharge", args=[episode.pk, audience])
        assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(detail__document="discharge").exists()


def test_a_later_episode_starts_clean(improving, therapist_client, therapist, frozen_clock):
    end_episode(patient=improving, by=therapist)
    frozen_clock.shift(timedelta(days=90))
    make_prescription(improving, therapist)
    measure(improving, "nprs", pain_now=5, pain_best=3, pain_worst=6)
    therapist_client.force_login(therapist)
    page = therapist_client.get(reverse("patients:detail", args=[improving.pk])).text
    assert "Previous episodes" in page
    assert "Lifting my grandson" not in page  # the old episode's answers are in its PDF
    assert "4.7/10" in page


def test_a_discharged_patient_cannot_be_discharged_again(improving, therapist_client, therapist):
    end_episode(patient=improving, by=therapist)
    page = therapist_client.get(reverse("patients:detail", args=[improving.pk])).text
    assert "End episode and discharge" not in page
    response = therapist_client.post(reverse("outcomes:episode_end", args=[improving.pk]), {})
    assert response.status_code == 302
    assert Episode.objects.filter(patient=improving).count() == 1


def test_the_patient_finds_their_summary_on_my_progress(improving, patient_client, therapist):
    episode = end_episode(patient=improving, by=therapist)
    page = patient_client.get(reverse("portal:progress")).text
    assert "Your discharge summaries" in page
    assert reverse("handouts:discharge", args=[episode.pk, "patient"]) in page
    assert reverse("handouts:discharge", args=[episode.pk, "doctor"]) not in page


def test_the_discharge_summary_prints_the_clinics_logo_and_details(
    improving, therapist_client, therapist, tmp_path, settings
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from tests.handouts.pdfs import figure_alts

    settings.MEDIA_ROOT = tmp_path
    clinic = improving.clinic
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), "teal").save(buffer, format="PNG")
    clinic.logo = SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png")
    clinic.address = "4 Quay Street\nHarbourtown"
    clinic.phone = "+44 20 7946 0000"
    clinic.email = "desk@harbour.example"
    clinic.website = "https://harbour.example/physio"
    clinic.save()
    episode = end_episode(patient=improving, by=therapist, summary_note="")
    for audience in ("doctor", "patient"):
        data = therapist_client.get(reverse("handouts:discharge", args=[episode.pk, audience]))
        assert "Logo of Harbour Physio" in figure_alts(data.content)
        text = pdf_text(data.content)
        assert "4 Quay Street, Harbourtown" in text
        assert "Phone +44 20 7946 0000" in text
        assert "desk@harbour.example" in text
        assert "harbour.example/physio" in text
