"""A clinic administrator downloads the clinic's audit log as CSV, by patient and days."""

import csv
import io
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from clinics.models import AuditEvent, audit

URL = "/audit/"


def rows_of(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def event_at(day: str, **kwargs) -> AuditEvent:
    with time_machine.travel(datetime.fromisoformat(f"{day}T10:00:00+00:00"), tick=False):
        return audit(**kwargs)


@pytest.fixture
def log(clinic, therapist, patient, other_patient, other_clinic_patient, other_clinic_therapist):
    event_at("2026-03-01", action="view", target=patient, actor=therapist)
    event_at("2026-03-05", action="update", target=other_patient, actor=therapist)
    event_at("2026-03-09", action="view", target=patient, actor=therapist)
    event_at("2026-03-05", action="view", target=other_clinic_patient, actor=other_clinic_therapist)


def export(client, **params):
    query = {"date_from": "2026-03-01", "date_to": "2026-03-10", **params}
    return client.get(URL, query)


def test_the_administrator_downloads_the_clinics_events_oldest_first(therapist_client, log):
    response = export(therapist_client)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-harbour-')
    rows = rows_of(response)
    assert [(r["action"], r["patient"]) for r in rows] == [
        ("view", "Paula Jones"),
        ("update", "Oscar Brown"),
        ("view", "Paula Jones"),
    ]
    assert rows[0]["actor"] == "tess"
    assert rows[0]["at"].startswith("2026-03-01T10:00:00")
    assert len(rows[0]["hash"]) == 64


def test_another_clinics_events_never_appear(therapist_client, log, other_clinic_patient):
    rows = rows_of(export(therapist_client))
    assert "Hilda Stone" not in {r["patient"] for r in rows}
    assert str(other_clinic_patient.pk) not in {r["patient_id"] for r in rows}


def test_it_filters_by_patient_and_by_days(therapist_client, log, patient):
    rows = rows_of(export(therapist_client, patient=patient.pk, date_from="2026-03-02"))
    assert [(r["action"], r["at"][:10]) for r in rows] == [("view", "2026-03-09")]


def test_both_days_of_the_range_are_included(therapist_client, log):
    rows = rows_of(export(therapist_client, date_from="2026-03-05", date_to="2026-03-05"))
    assert [r["action"] for r in rows] == ["update"]


def test_the_export_itself_is_audited(therapist_client, therapist, clinic, log, patient):
    export(therapist_client, patient=patient.pk)

    event = AuditEvent.objects.filter(action="export").get()
    assert (event.actor, event.clinic, event.object_type) == (therapist, clinic, "audit_log")
    assert event.patient_id == patient.pk
    assert event.detail == {"from": "2026-03-01", "to": "2026-03-10"}


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_defused(
    therapist_client, therapist, clinic
):
    for label in ('=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)", "plain"):
        audit(action="view", clinic=clinic, actor=therapist, actor_label=label, object_type="x")
    rows = rows_of(export(therapist_client, date_from="2026-03-11", date_to="2026-03-11"))
    assert [r["actor"] for r in rows if r["object_type"] == "x"] == [
        '\'=HYPERLINK("http://evil")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "plain",
    ]


def test_the_page_has_a_labelled_form_and_no_download(therapist_client):
    response = therapist_client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]
    for field in ("id_patient", "id_date_from", "id_date_to"):
        assert f'for="{field}"' in page
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_range_starts_as_the_last_30_days(therapist_client):
    page = therapist_client.get(URL).content.decode()
    today = timezone.localdate()
    assert f'value="{(today - timedelta(days=30)).isoformat()}"' in page
    assert f'value="{today.isoformat()}"' in page


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"date_from": "2026-13-45"}, "Enter a valid date."),
        ({"date_from": "yesterday"}, "Enter a valid date."),
        ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "on or after the first day"),
        ({"date_to": ""}, "This field is required."),
        ({"patient": "not-a-number"}, "Select a valid choice"),
    ],
)
def test_bad_input_shows_the_form_with_the_error(therapist_client, params, error):
    response = export(therapist_client, **params)
    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]
    assert error in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_another_clinics_patient_cannot_be_chosen(therapist_client, other_clinic_patient, log):
    response = export(therapist_client, patient=other_clinic_patient.pk)
    assert "Select a valid choice" in response.content.decode()


def test_a_therapist_who_is_not_an_administrator_is_refused(client, colleague, log):
    client.force_login(colleague)
    assert client.get(URL).status_code == 403
    assert export(client).status_code == 403


def test_a_patient_is_refused(patient_client, log):
    assert export(patient_client).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, log):
    assert export(client)["Location"].startswith("/accounts/login/")


def test_only_get_is_accepted(therapist_client):
    assert therapist_client.post(URL).status_code == 405


def test_the_navigation_links_the_export_for_administrators_only(therapist_client, colleague):
    assert f'href="{URL}"' in therapist_client.get("/patients/").content.decode()
    therapist_client.force_login(colleague)
    assert f'href="{URL}"' not in therapist_client.get("/patients/").content.decode()


def test_a_long_log_costs_the_same_few_queries(
    therapist_client, therapist, clinic, log, django_assert_max_num_queries
):
    for _ in range(50):
        audit(action="view", clinic=clinic, actor=therapist, object_type="x")
    with django_assert_max_num_queries(13):  # + the two-step gate reads the devices
        rows = rows_of(export(therapist_client, date_to="2026-03-11"))
    assert len([r for r in rows if r["object_type"] == "x"]) == 50


def test_a_formula_after_a_separator_inside_a_cell_is_defused_and_every_cell_quoted(
    therapist_client, therapist, clinic
):
    """A spreadsheet whose list separator is ";" splits an unquoted cell there."""
    for label in ("x;=1+1;", "a,+2", "b\t@SUM(A1)", "c; -3"):
        audit(action="view", clinic=clinic, actor=therapist, actor_label=label, object_type="y")
    response = export(therapist_client, date_from="2026-03-11", date_to="2026-03-11")
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["actor"] for r in rows if r["object_type"] == "y"] == [
        "x;'=1+1;",
        "a,'+2",
        "b\t'@SUM(A1)",
        "c; '-3",
    ]
    assert all(line.startswith('"') and line.endswith('"') for line in body.splitlines())
    assert '"x;\'=1+1;"' in body


def test_denied_rows_never_show_which_ids_other_clinics_hold(
    therapist_client, therapist, other_clinic_therapist, other_clinic_patient, patient, clinic
):
    """The existence oracle: asking for ids and reading which came back "denied"."""
    from django.test import Client

    therapist_client.get(f"/patients/{other_clinic_patient.pk}/")
    therapist_client.get("/patients/999999/")
    rows = rows_of(export(therapist_client, date_from="2026-03-11", date_to="2026-03-11"))
    assert [r for r in rows if r["action"] == "denied"] == []

    # The owner sees that another clinic asked for their patient, and not who.
    owner = Client()
    owner.force_login(other_clinic_therapist)
    rows = rows_of(export(owner, date_from="2026-03-11", date_to="2026-03-11"))
    (row,) = [r for r in rows if r["action"] == "denied"]
    assert (row["patient_id"], row["actor"]) == (str(other_clinic_patient.pk), "another clinic")
