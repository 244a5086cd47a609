"""The triggers that write the change log. Each synced table names the resource its
rows are about and the column holding that resource's id (a program's items are
changes of their program, an assessment's tests changes of their assessment).

A table that a sync should follow gets a line here and a migration that calls
`create(schema_editor, [its line])`. Triggers see every write, `QuerySet.update()` and
raw SQL included, so no write path can forget to record its change."""

from __future__ import annotations

from typing import Any

# (table, resource, id column)
TABLES = [
    ("patients_patient", "patient", "id"),
    ("prescriptions_prescription", "prescription", "id"),
    ("prescriptions_prescriptionitem", "prescription", "prescription_id"),
    ("prescriptions_symptomlog", "symptom_log", "id"),
    ("prescriptions_alert", "alert", "id"),
    ("prescriptions_redflagcheck", "red_flag_check", "id"),
    ("prescriptions_outcomemeasure", "outcome_measure", "id"),
    ("prescriptions_progressionsuggestion", "suggestion", "id"),
    ("assessments_assessment", "assessment", "id"),
    ("assessments_movementtest", "assessment", "assessment_id"),
    ("prescriptions_exercisesession", "session", "id"),
]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION changelog_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
BEGIN
    INSERT INTO changelog_change (resource, object_id, txid, changed_at)
    VALUES (TG_ARGV[0], (written ->> TG_ARGV[1])::bigint,
            pg_current_xact_id()::text::bigint, clock_timestamp());
    RETURN NULL;
END $$;
"""

# Django stores a time on SQLite as text with microseconds.
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'"


def _name(table: str, event: str = "") -> str:
    return f"changelog_{table}{event}"


def create(schema_editor: Any, tables: list[tuple[str, str, str]]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table, resource, column in tables:
            schema_editor.execute(
                f"CREATE TRIGGER {_name(table)} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION changelog_record('{resource}', '{column}')"
            )
    elif vendor == "sqlite":
        for table, resource, column in tables:
            for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
                # The names come from TABLES above, never from input.
                schema_editor.execute(
                    f"CREATE TRIGGER {_name(table, '_' + event.lower())} AFTER {event} ON {table} "  # noqa: S608
                    "BEGIN INSERT INTO changelog_change (resource, object_id, txid, changed_at) "
                    f"VALUES ('{resource}', {row}.{column}, NULL, {SQLITE_NOW}); END"
                )
    else:
        raise NotImplementedError(f"No change-log triggers for {vendor}.")


def drop(schema_editor: Any, tables: list[tuple[str, str, str]]) -> None:
    vendor = schema_editor.connection.vendor
    for table, _resource, _column in tables:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table)} ON {table}")
        else:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table, '_' + event)}")
