"""The audit log is a hash chain per clinic; verify_audit finds any edited,
deleted or inserted row."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from clinics.models import AuditEvent, audit


def verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def broken() -> str:
    out = StringIO()
    with pytest.raises(CommandError, match="altered"):
        call_command("verify_audit", stdout=out)
    return out.getvalue()


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("audit", AuditEvent._meta.db_table), params)


@pytest.fixture
def events(patient, other_clinic_patient, therapist, other_clinic_therapist):
    written = []
    for n in range(3):
        written.append(audit(action="view", target=patient, actor=therapist, detail={"n": n}))
        audit(action="view", target=other_clinic_patient, actor=other_clinic_therapist)
    return written


def test_each_event_links_to_the_previous_event_of_its_clinic(events):
    first, second, third = events
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3


def test_an_untouched_log_verifies(events):
    report = verify()
    assert "ok      Harbour Physio (harbour): 3 events" in report
    assert "ok      Hillside Spine Care (hillside): 3 events" in report


def test_verify_audit_detects_an_edited_row(events):
    raw("UPDATE audit SET actor_label = %s WHERE id = %s", ["mallory", events[1].pk])
    report = broken()
    assert f"Harbour Physio (harbour): event {events[1].pk} was changed" in report
    assert "ok      Hillside Spine Care" in report


def test_verify_audit_detects_an_edited_detail(events):
    raw("UPDATE audit SET detail = %s WHERE id = %s", ['{"n": 7}', events[0].pk])
    assert f"event {events[0].pk} was changed" in broken()


def test_verify_audit_detects_a_deleted_row(events):
    raw("DELETE FROM audit WHERE id = %s", [events[1].pk])
    assert f"event {events[2].pk} does not follow event {events[0].pk}" in broken()


def test_deleting_a_user_does_not_break_the_chain(events, therapist):
    therapist.delete()
    assert "Harbour Physio (harbour): 3 events" in verify()
    assert AuditEvent.objects.filter(actor_label="tess").count() == 3
