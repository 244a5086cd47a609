"""An urgent alert nobody acknowledges within the clinic's opening hours is emailed to
the clinic's administrators, once, with no patient details in the email."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail

from clinics.models import AuditEvent
from prescriptions.escalation import escalate_overdue_alerts, opening_time_between
from prescriptions.models import Alert
from prescriptions.services import raise_alert
from tests.factories import make_clinic, make_patient, make_therapist

WEEKDAYS = {"opens_at": time(8), "closes_at": time(18), "open_days": "12345", "zone": UTC}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2026: the 11th is a Wednesday, the 14th a Saturday."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (at(11, 9), at(11, 11), 2),  # within one working day
        (at(11, 17), at(12, 9), 2),  # the night does not count
        (at(11, 2), at(11, 10), 2),  # raised at night: counted from opening
        (at(13, 17), at(16, 9), 2),  # Friday evening to Monday morning: the weekend is closed
        (at(14, 10), at(15, 16), 0),  # a whole weekend
        (at(11, 12), at(11, 11), 0),  # an end before the start
    ],
)
@pytest.mark.hazard("H-12")
def test_only_opening_hours_count(start, end, hours):
    assert opening_time_between(start, end, **WEEKDAYS) == timedelta(hours=hours)


@pytest.fixture
def clinic(db):
    return make_clinic("Harbour Physio")


@pytest.fixture
def admin(clinic):
    return make_therapist(clinic, "head", admin=True)


def urgent_alert(patient, kind=Alert.Kind.RED_FLAG):
    return raise_alert(
        patient=patient, kind=kind, severity=Alert.Severity.URGENT, message="Bladder control."
    )


@pytest.mark.hazard("H-12")
def test_an_urgent_alert_open_two_opening_hours_is_emailed_to_the_administrators_once(
    clinic, admin, frozen_clock, django_capture_on_commit_callbacks
):
    make_therapist(clinic, "colleague")  # not an administrator: not emailed
    patient = make_patient(clinic, first_name="Rosalind", last_name="Quarry")
    alert = urgent_alert(patient)

    frozen_clock.shift(timedelta(hours=1, minutes=50))
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_alerts() == []
    assert mail.outbox == []

    frozen_clock.shift(timedelta(minutes=15))
    with django_capture_on_commit_callbacks(execute=True):
        assert [a.pk for a in escalate_overdue_alerts()] == [alert.pk]
    assert [message.to for message in mail.outbox] == [["head@example.test"]]
    body = mail.outbox[0].body
    assert f"/patients/{patient.pk}/" in body
    assert "Rosalind" not in body and "Quarry" not in body and "Bladder" not in body
    alert.refresh_from_db()
    assert alert.escalated_at is not None
    assert AuditEvent.objects.filter(
        object_type="alert", object_id=str(alert.pk), actor_label="escalation"
    ).exists()

    frozen_clock.shift(timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_alerts() == []
    assert len(mail.outbox) == 1


@pytest.mark.hazard("H-12")
def test_an_alert_raised_late_in_the_day_waits_for_the_next_opening_hours(
    clinic, admin, frozen_clock, django_capture_on_commit_callbacks
):
    frozen_clock.move_to(at(11, 17, 30))
    urgent_alert(make_patient(clinic))
    frozen_clock.move_to(at(12, 9, 20))
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_alerts() == []
    frozen_clock.move_to(at(12, 9, 40))
    with django_capture_on_commit_callbacks(execute=True):
        assert len(escalate_overdue_alerts()) == 1
    assert len(mail.outbox) == 1


def test_acknowledged_and_non_urgent_alerts_are_not_escalated(
    clinic, admin, frozen_clock, django_capture_on_commit_callbacks
):
    seen = urgent_alert(make_patient(clinic))
    seen.acknowledge(by=admin)
    raise_alert(
        patient=make_patient(clinic),
        kind=Alert.Kind.PAIN_RISE,
        severity=Alert.Severity.WARNING,
        message="Pain 8/10.",
    )
    frozen_clock.shift(timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_alerts() == []
    assert mail.outbox == []


def test_another_clinics_administrators_hear_nothing(
    clinic, admin, frozen_clock, django_capture_on_commit_callbacks
):
    make_therapist(make_clinic("Northgate"), "elsewhere", admin=True)
    urgent_alert(make_patient(clinic))
    frozen_clock.shift(timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        escalate_overdue_alerts()
    assert [message.to for message in mail.outbox] == [["head@example.test"]]


@pytest.mark.hazard("H-12")
def test_a_clinic_without_an_administrator_email_is_logged_and_tried_again(
    clinic, frozen_clock, caplog, django_capture_on_commit_callbacks
):
    head = make_therapist(clinic, "head", admin=True)
    head.email = ""
    head.save()
    alert = urgent_alert(make_patient(clinic))
    frozen_clock.shift(timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_alerts() == []
    assert "no administrator with an email" in caplog.text
    alert.refresh_from_db()
    assert alert.escalated_at is None

    head.email = "head@example.test"
    head.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert len(escalate_overdue_alerts()) == 1
    assert [message.to for message in mail.outbox] == [["head@example.test"]]


@pytest.mark.hazard("H-12")
def test_the_clinics_own_hours_and_days_decide(
    clinic, admin, frozen_clock, django_capture_on_commit_callbacks
):
    clinic.open_days = "6"  # Saturdays only
    clinic.urgent_escalation_hours = 1
    clinic.save()
    urgent_alert(make_patient(clinic))  # Wednesday 14:00
    frozen_clock.move_to(at(14, 8, 50))
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_alerts() == []
    frozen_clock.move_to(at(14, 9, 5))
    with django_capture_on_commit_callbacks(execute=True):
        assert len(escalate_overdue_alerts()) == 1


@pytest.mark.hazard("H-12")
def test_the_patient_page_says_the_alert_was_escalated(
    clinic, admin, client, frozen_clock, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from tests.factories import sign_in_verified

    patient = make_patient(clinic)
    urgent_alert(patient)
    url = reverse("patients:detail", args=[patient.pk])
    sign_in_verified(client, admin)
    assert "data-escalated" not in client.get(url).content.decode()
    frozen_clock.shift(timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        escalate_overdue_alerts()
    sign_in_verified(client, admin)  # the earlier session has timed out
    page = client.get(url).content.decode()
    assert "emailed to the clinic's administrators" in page


def test_opening_hours_are_read_on_the_clinics_own_clock(
    clinic, admin, frozen_clock, django_capture_on_commit_callbacks
):
    clinic.time_zone = "Asia/Kolkata"  # UTC+05:30: Wednesday 14:00 UTC is 19:30 there
    clinic.save()
    urgent_alert(make_patient(clinic))
    frozen_clock.move_to(at(12, 4, 20))  # Thursday 09:50 in Kolkata: 1 h 50 min open
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_alerts() == []
    frozen_clock.move_to(at(12, 4, 40))  # 10:10 in Kolkata
    with django_capture_on_commit_callbacks(execute=True):
        assert len(escalate_overdue_alerts()) == 1
