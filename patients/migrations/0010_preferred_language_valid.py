from django.db import migrations, models


def languages_we_speak(apps, schema_editor):
    """A language Centra has no texts in (an earlier demo made a French patient) was
    served in English: record what the patient actually got."""
    Patient = apps.get_model("patients", "Patient")
    Patient.objects.exclude(preferred_language__in=["en", "es"]).update(preferred_language="en")


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0009_painful_side_and_risk_factors"),
    ]

    operations = [
        migrations.RunPython(languages_we_speak, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="patient",
            constraint=models.CheckConstraint(
                condition=models.Q(("preferred_language__in", ["en", "es"])),
                name="patient_preferred_language_valid",
            ),
        ),
    ]
