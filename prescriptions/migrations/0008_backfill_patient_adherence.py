"""Fill the stored adherence (program periods, logged sessions per day) of existing patients."""

from django.db import migrations


def backfill(apps, schema_editor):
    from prescriptions.summary import rebuild_adherence

    rebuild_adherence(
        apps.get_model("patients", "Patient").objects.all(),
        prescription=apps.get_model("prescriptions", "Prescription"),
        log=apps.get_model("prescriptions", "SymptomLog"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0005_waking_hours_and_adherence"),
        ("prescriptions", "0007_merge_0002_item_side_0006_backfill_patient_summaries"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
