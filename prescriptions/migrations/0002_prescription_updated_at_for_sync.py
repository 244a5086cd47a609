from django.db import migrations, models
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    # Existing versions were last changed when they ended, started or were made.
    Prescription = apps.get_model("prescriptions", "Prescription")
    Prescription.objects.update(updated_at=Coalesce("ended_at", "activated_at", "created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("prescriptions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="prescription",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
