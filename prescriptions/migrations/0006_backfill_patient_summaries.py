"""Fill the patient list's stored overview for existing databases, and add the
PostgreSQL-only indexes of the list (last-log sorts with NULLS placement, name search)."""

from django.db import migrations

POSTGRES_INDEXES = [
    # The "last log" sorts: most recent first (never-logged last) and longest without a
    # log first (never-logged first), after the attention order every list uses.
    "CREATE INDEX IF NOT EXISTS patient_list_recent_log ON patients_patient "
    "(clinic_id, archived, attention, last_log DESC NULLS LAST, id)",
    "CREATE INDEX IF NOT EXISTS patient_list_no_recent_log ON patients_patient "
    "(clinic_id, archived, attention, last_log ASC NULLS FIRST, id)",
    # The search box: names by any part (icontains), external ids exactly (iexact).
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS patient_search_last_name ON patients_patient "
    "USING gin (UPPER(last_name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS patient_search_first_name ON patients_patient "
    "USING gin (UPPER(first_name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS patient_search_external_id ON patients_patient "
    "(clinic_id, UPPER(external_id::text))",
]
POSTGRES_DROPS = [
    "DROP INDEX IF EXISTS patient_list_recent_log",
    "DROP INDEX IF EXISTS patient_list_no_recent_log",
    "DROP INDEX IF EXISTS patient_search_last_name",
    "DROP INDEX IF EXISTS patient_search_first_name",
    "DROP INDEX IF EXISTS patient_search_external_id",
]


def backfill(apps, schema_editor):
    from prescriptions.summary import rebuild_summaries

    rebuild_summaries(
        apps.get_model("patients", "Patient").objects.all(),
        alert=apps.get_model("prescriptions", "Alert"),
        prescription=apps.get_model("prescriptions", "Prescription"),
        log=apps.get_model("prescriptions", "SymptomLog"),
    )


def postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_INDEXES:
            schema_editor.execute(statement)


def drop_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_DROPS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0003_merge_list_summary_and_starting_location"),
        ("prescriptions", "0005_merge_safety_and_fhir"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(postgres_indexes, drop_postgres_indexes),
    ]
