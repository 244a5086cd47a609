"""The therapist sees who is ready to progress and decides: accept or dismiss."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinics.models import AuditEvent
from prescriptions.models import Prescription, ProgressionSuggestion
from tests.factories import make_patient, make_prescription
from tests.suggestion_factory import make_ready_to_progress

LIST = "/patients/"


@pytest.fixture
def suggestion(patient, therapist):
    return make_ready_to_progress(patient, therapist)


def accept_url(suggestion):
    return f"/suggestions/{suggestion.pk}/accept/"


def dismiss_url(suggestion):
    return f"/suggestions/{suggestion.pk}/dismiss/"


def test_the_list_marks_who_is_ready_to_progress_and_filters_on_it(
    therapist_client, suggestion, other_patient
):
    content = therapist_client.get(LIST).content.decode()
    assert "Ready to progress" in content
    assert "consider Prone press-up" in content

    ready = therapist_client.get(LIST, {"suggestion": "forward"})
    assert [p.pk for p in ready.context["page"]] == [suggestion.patient_id]
    back = therapist_client.get(LIST, {"suggestion": "back"})
    assert list(back.context["page"]) == []


@pytest.mark.parametrize("count", [3, 30])
def test_the_marker_costs_no_query_per_patient(
    therapist_client, therapist, clinic, django_assert_max_num_queries, count
):
    for n in range(count):
        make_ready_to_progress(make_patient(clinic, last_name=f"Ready{n}"), therapist)
    therapist_client.get(LIST)
    with django_assert_max_num_queries(10):  # the patient list's own pin
        response = therapist_client.get(LIST)
    titles = response.content.decode().count("Ready to progress: consider Prone press-up")
    assert titles == min(count, 25)


def test_the_patient_page_shows_the_suggestion_with_its_logs(therapist_client, suggestion):
    content = therapist_client.get(f"/patients/{suggestion.patient_id}/").content.decode()
    assert "Ready to progress: consider Prone press-up" in content
    assert "The pain centralized or went on 2 days at Prone props (lying on elbows)" in content
    assert "The 2 logs behind it" in content
    assert "Confirm: new version with Prone press-up" in content


def test_confirming_makes_the_next_version_in_one_click(therapist_client, therapist, suggestion):
    response = therapist_client.post(accept_url(suggestion), follow=True)
    assert response.status_code == 200
    active = Prescription.objects.active().get(patient=suggestion.patient)
    assert active.version == 2
    assert [i.exercise.slug for i in active.items.order_by("position")] == [
        "prone-lying",
        "prone-press-up",
    ]
    assert "Version 2 is in use, with Prone press-up." in response.content.decode()
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == ("accepted", therapist)
    assert AuditEvent.objects.filter(object_type="progressionsuggestion").exists()
    # A second click (a double submit) changes nothing more.
    therapist_client.post(accept_url(suggestion))
    assert Prescription.objects.filter(patient=suggestion.patient).count() == 2


def test_an_open_urgent_alert_holds_the_confirmation_until_it_is_acknowledged(
    therapist_client, therapist, suggestion
):
    from prescriptions.models import Alert
    from prescriptions.services import record_red_flag_check

    _check, [alert] = record_red_flag_check(
        patient=suggestion.patient, answered_yes=["bladder_bowel"]
    )
    page = therapist_client.get(f"/patients/{suggestion.patient_id}/").content.decode()
    assert "An urgent alert is open for this patient" in page
    assert 'disabled aria-describedby="suggestion-blocked"' in page
    response = therapist_client.post(accept_url(suggestion), follow=True)
    assert "acknowledge it before confirming a change of program" in response.content.decode()
    assert Prescription.objects.active().get(patient=suggestion.patient).version == 1
    suggestion.refresh_from_db()
    assert suggestion.status == "open"
    # Once the therapist has looked at the alert, the step can be confirmed.
    Alert.objects.get(pk=alert.pk).acknowledge(by=therapist)
    therapist_client.post(accept_url(suggestion))
    assert Prescription.objects.active().get(patient=suggestion.patient).version == 2


def test_dismissing_keeps_the_reason_and_shows_it_in_the_history(therapist_client, suggestion):
    response = therapist_client.post(
        dismiss_url(suggestion), {"reason": "Wants one more week here"}, follow=True
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.dismiss_reason) == (
        "dismissed",
        "Wants one more week here",
    )
    content = response.content.decode()
    assert "“Wants one more week here”" in content
    assert Prescription.objects.filter(patient=suggestion.patient).count() == 1


def test_dismissing_without_a_reason_changes_nothing(therapist_client, suggestion):
    response = therapist_client.post(dismiss_url(suggestion), {"reason": " "}, follow=True)
    assert "Say why you dismiss the suggestion." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "open"


def test_the_actions_take_only_post(therapist_client, suggestion):
    assert therapist_client.get(accept_url(suggestion)).status_code == 405
    assert therapist_client.get(dismiss_url(suggestion)).status_code == 405


def test_anonymous_is_sent_to_sign_in(client, suggestion):
    response = client.post(accept_url(suggestion))
    assert response.status_code == 302 and "login" in response["Location"]
    assert ProgressionSuggestion.objects.get(pk=suggestion.pk).status == "open"


def test_another_clinic_gets_404(stranger_client, suggestion):
    assert stranger_client.post(accept_url(suggestion)).status_code == 404
    assert stranger_client.post(dismiss_url(suggestion), {"reason": "x"}).status_code == 404
    assert ProgressionSuggestion.objects.get(pk=suggestion.pk).status == "open"


def test_the_patient_never_sees_a_suggestion(patient_client, suggestion):
    for url in ("/portal/", "/portal/progress/"):
        content = patient_client.get(url, follow=True).content.decode()
        assert "Ready to progress" not in content
        assert "press-up" not in content.lower() or "consider" not in content.lower()
    assert patient_client.post(accept_url(suggestion)).status_code in (403, 404, 302)
    assert ProgressionSuggestion.objects.for_user(suggestion.patient.user).count() == 0


def test_an_archived_patients_suggestion_cannot_be_accepted(therapist_client, suggestion):
    patient = suggestion.patient
    patient.archived = True
    patient.save(update_fields=["archived"])
    page = therapist_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Confirm: new version" not in page
    response = therapist_client.post(accept_url(suggestion), follow=True)
    assert "This patient is archived." in response.content.decode()
    assert Prescription.objects.filter(patient=patient).count() == 1


def test_a_reason_too_long_is_refused_with_the_reason_why(therapist_client, suggestion):
    response = therapist_client.post(dismiss_url(suggestion), {"reason": "x" * 501}, follow=True)
    assert "at most 500 characters" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "open"


def test_the_catalog_states_the_rules_with_the_clinics_day_counts(therapist_client, clinic):
    clinic.progression_good_days = 4
    clinic.save(update_fields=["progression_good_days"])
    content = therapist_client.get("/exercises/").content.decode()
    assert "the next step of the same direction after 4 good days in a row" in content
    assert "more force after 3 unchanged days in a row" in content
    therapist_client.cookies["django_language"] = "es"
    spanish = therapist_client.get("/exercises/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "4 días buenos seguidos" in spanish


def test_a_warning_at_the_step_shows_going_back_on_the_list_and_the_page(
    therapist_client, therapist, patient, add_log
):
    program = make_prescription(patient, therapist, first=3)
    Prescription.objects.filter(pk=program.pk).update(
        activated_at=timezone.now() - timedelta(days=3)
    )
    press_up = program.items.get(exercise__slug="prone-press-up")
    add_log(patient, press_up, days_ago=0.1, location="thigh", during="peripheralize")

    listing = therapist_client.get(LIST, {"suggestion": "back"}).content.decode()
    assert "badge badge--warning suggestion-marker" in listing
    assert "Consider going back to Prone props (lying on elbows)" in listing
    page = therapist_client.get(f"/patients/{patient.pk}/").content.decode()
    assert (
        "Warning signs at this step: consider going back to Prone props (lying on elbows)" in page
    )
    assert "1 log at Prone press-up with a warning sign" in page
