"""The audit log is a keyed chain per clinic with signed checkpoints; verify_audit
finds any edited, deleted, inserted or recomputed row, and chains cut short.

A request only inserts its event; the chain is sealed afterwards (clinics.audit_seal),
so no request locks its clinic."""

import json
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinics.audit_chain import GENESIS, event_hash, fields_of
from clinics.audit_seal import seal_chains
from clinics.models import AuditCheckpoint, AuditEvent, audit


def verify(*args) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def broken(*args) -> str:
    out = StringIO()
    with pytest.raises(CommandError, match="altered"):
        call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def export_checkpoints(tmp_path, *args) -> str:
    """What the operator ships off the server: the exported lines, in a file."""
    out = StringIO()
    call_command("audit_checkpoints", *args, stdout=out)
    path = tmp_path / "checkpoints.jsonl"
    path.write_text(out.getvalue())
    return str(path)


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("audit", AuditEvent._meta.db_table), params)


@pytest.fixture
def events(patient, other_clinic_patient, therapist, other_clinic_therapist):
    written = []
    for n in range(3):
        written.append(audit(action="view", target=patient, actor=therapist, detail={"n": n}))
        audit(action="view", target=other_clinic_patient, actor=other_clinic_therapist)
    seal_chains()
    return [AuditEvent.objects.get(pk=event.pk) for event in written]


def test_an_audited_request_only_inserts_its_event(therapist_client, patient):
    """No lock on the clinic row, no advisory lock, no read of the chain's head: two
    requests of one clinic never wait for each other's audit event."""
    url = reverse("patients:detail", args=[patient.pk])
    with CaptureQueriesContext(connection) as queries:
        assert therapist_client.get(url).status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    table = AuditEvent._meta.db_table
    assert not [q for q in sql if "FOR UPDATE" in q.upper() or "advisory" in q.lower()]
    on_the_log = [q for q in sql if table in q]
    assert len(on_the_log) == 1 and on_the_log[0].startswith("INSERT")
    event = AuditEvent.objects.get(action="view", patient_id=patient.pk)
    assert event.seq is None and event.prev_hash == ""


def test_sealing_links_the_waiting_events_in_id_order(patient, therapist):
    written = [
        audit(action="view", target=patient, actor=therapist, detail={"n": n}) for n in range(3)
    ]
    assert seal_chains() == 3
    first, second, third = AuditEvent.objects.filter(pk__in=[e.pk for e in written]).order_by("id")
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert seal_chains() == 0  # a sealed event is never sealed again
    later = audit(action="view", target=patient, actor=therapist)
    assert seal_chains() == 1
    later.refresh_from_db()
    assert later.seq == 4 and later.prev_hash == third.hash
    assert "ok      Harbour Physio (harbour): 4 events" in verify()


def test_verify_audit_seals_what_the_worker_has_not_yet(patient, therapist):
    audit(action="view", target=patient, actor=therapist)
    assert "ok      Harbour Physio (harbour): 1 events" in verify()
    assert AuditEvent.objects.get().seq == 1


def test_an_event_edited_while_it_waited_is_not_sealed_and_is_reported(patient, therapist, caplog):
    waiting = audit(action="view", target=patient, actor=therapist)
    after = audit(action="view", target=patient, actor=therapist)
    raw("UPDATE audit SET actor_label = %s WHERE id = %s", ["mallory", waiting.pk])
    assert seal_chains() == 1
    assert "changed before it was sealed" in caplog.text
    assert AuditEvent.objects.get(pk=after.pk).seq == 1
    report = broken()
    assert f"event {waiting.pk} was changed before it was sealed" in report
    assert AuditEvent.objects.get(pk=waiting.pk).seq is None


def test_an_event_slipped_in_without_the_key_is_not_sealed(patient, therapist, events):
    forged = audit(action="view", target=patient, actor=therapist)
    raw("UPDATE audit SET hash = %s WHERE id = %s", ["f" * 64, forged.pk])
    assert f"event {forged.pk} was changed before it was sealed" in broken()
    assert AuditEvent.objects.get(pk=forged.pk).seq is None


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


def test_the_actor_is_covered_by_the_mac(events, colleague):
    raw("UPDATE audit SET actor_id = %s WHERE id = %s", [colleague.pk, events[1].pk])
    assert f"event {events[1].pk} was changed" in broken()


def test_a_chain_recomputed_without_the_key_is_detected(events):
    """Whoever can write to the database edits a row and rebuilds the links with the
    public algorithm: without AUDIT_KEY the MACs cannot be made."""
    raw("UPDATE audit SET detail = %s WHERE id = %s", ['{"n": 99}', events[1].pk])
    prev = GENESIS
    for event in AuditEvent.objects.filter(clinic=events[0].clinic).order_by("id"):
        event.prev_hash = prev
        event.hash = event_hash(**fields_of(event))
        raw(
            "UPDATE audit SET prev_hash = %s, hash = %s WHERE id = %s", [prev, event.hash, event.pk]
        )
        prev = event.hash
    report = broken()
    assert f"event {events[0].pk} was changed" in report
    assert "recomputed without the audit key" in report


def test_another_key_does_not_verify(events, settings):
    settings.AUDIT_KEY = "another-key-entirely-" + "x" * 20
    assert "was changed" in broken()


def test_checkpoints_are_written_for_chains_that_grew(
    events, patient, therapist, other_clinic_patient
):
    call_command("audit_checkpoints", stdout=StringIO())
    points = list(AuditCheckpoint.objects.values_list("clinic_id", "count"))
    assert points == [(patient.clinic_id, 3), (other_clinic_patient.clinic_id, 3)]
    call_command("audit_checkpoints", stdout=StringIO())
    assert AuditCheckpoint.objects.count() == 2  # nothing grew
    audit(action="view", target=patient, actor=therapist)  # sealed by the checkpoint itself
    call_command("audit_checkpoints", stdout=StringIO())
    assert AuditCheckpoint.objects.count() == 3
    assert "ok      Harbour Physio (harbour): 4 events" in verify()


def test_the_export_prints_json_lines_after_the_last_shipped_one(events):
    out = StringIO()
    call_command("audit_checkpoints", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 2
    assert set(lines[0]) == {"id", "clinic", "count", "head", "at", "mac"}
    assert lines[0]["head"] == events[2].hash
    out = StringIO()
    call_command("audit_checkpoints", "--after", str(lines[0]["id"]), "--no-write", stdout=out)
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [lines[1]["id"]]


def test_verify_audit_detects_the_newest_rows_deleted(events):
    call_command("audit_checkpoints", stdout=StringIO())
    raw("DELETE FROM audit WHERE id = %s", [events[2].pk])
    report = broken()
    assert "Harbour Physio (harbour): the newest events were deleted" in report
    assert "counted 3 events, the chain has 2" in report


def test_verify_audit_detects_every_event_deleted(events):
    call_command("audit_checkpoints", stdout=StringIO())
    raw("DELETE FROM audit WHERE clinic_id = %s", [events[0].clinic_id])
    assert "Harbour Physio (harbour): every event was deleted" in broken()


def test_rows_deleted_and_new_ones_written_in_their_place_are_detected(events, patient, therapist):
    call_command("audit_checkpoints", stdout=StringIO())
    raw("DELETE FROM audit WHERE id = %s", [events[2].pk])
    audit(action="view", target=patient, actor=therapist, detail={"n": "stand-in"})
    assert "counted as number 3: the chain was rewritten" in broken()


def test_an_exported_checkpoint_catches_what_deleting_the_stored_ones_hides(events, tmp_path):
    exported = export_checkpoints(tmp_path)
    raw("DELETE FROM audit WHERE clinic_id = %s", [events[0].clinic_id])
    AuditCheckpoint.objects.all().delete()
    assert "ok      Harbour Physio (harbour): 0 events" in verify()  # nothing left to compare

    report = broken("--checkpoints", exported)
    assert "every event was deleted" in report
    assert "checkpoints.jsonl:1" in report


def test_a_forged_checkpoint_is_reported(events, tmp_path):
    exported = export_checkpoints(tmp_path)
    lines = [json.loads(line) for line in (tmp_path / "checkpoints.jsonl").read_text().splitlines()]
    lines[0]["count"] = 2
    (tmp_path / "checkpoints.jsonl").write_text("\n".join(json.dumps(x) for x in lines))
    AuditCheckpoint.objects.all().delete()
    assert "does not carry a valid MAC" in broken("--checkpoints", exported)


def test_a_checkpoint_file_that_is_not_json_is_a_clear_error(events, tmp_path):
    path = tmp_path / "junk.jsonl"
    path.write_text("not json\n")
    with pytest.raises(CommandError, match="line 1: not a checkpoint"):
        call_command("verify_audit", "--checkpoints", str(path), stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_an_event_that_commits_after_a_later_one_was_sealed_is_sealed_after_it(patient, therapist):
    """Ids are handed out at INSERT, commits come in any order: the chain's order is
    the order of sealing, and it still verifies."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two transactions open at once (PostgreSQL)")
    written, commit = threading.Event(), threading.Event()
    late = {}

    def slow_request():
        try:
            with transaction.atomic():
                late["event"] = audit(action="view", target=patient, actor=therapist)
                written.set()
                commit.wait(10)
        finally:
            connections.close_all()

    request = threading.Thread(target=slow_request)
    request.start()
    written.wait(10)
    quick = audit(action="view", target=patient, actor=therapist)
    assert seal_chains() == 1  # the slow request's event is not committed yet
    commit.set()
    request.join()
    assert seal_chains() == 1
    slow = AuditEvent.objects.get(pk=late["event"].pk)
    assert slow.pk < quick.pk
    assert slow.seq == 2 and slow.prev_hash == AuditEvent.objects.get(pk=quick.pk).hash
    assert "ok      Harbour Physio (harbour): 2 events" in verify()
