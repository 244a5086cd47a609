"""External ids become unique per clinic whatever their letter case. Patients whose ids
differ only in case must be told apart by a person first (they may be one patient
entered twice, or a typing slip): this migration names them and stops."""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


class ExternalIdClash(Exception):
    """Patients of one clinic share an external id but for letter case."""


def case_clashes(patient_model) -> list[str]:
    """Each clash, in words: clinic, the id, and the patients' database ids."""
    clashing = (
        patient_model.objects.exclude(external_id="")
        .values("clinic_id", folded=Lower("external_id"))
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("clinic_id", "folded")
    )
    lines = []
    for row in clashing:
        patients = (
            patient_model.objects.filter(clinic_id=row["clinic_id"])
            .annotate(folded=Lower("external_id"))
            .filter(folded=row["folded"])
            .order_by("pk")
        )
        ids = ", ".join(f"{p.external_id!r} (patient {p.pk})" for p in patients)
        lines.append(f"clinic {row['clinic_id']}: {ids}")
    return lines


def refuse_clashes(apps, schema_editor):
    lines = case_clashes(apps.get_model("patients", "Patient"))
    if lines:
        raise ExternalIdClash(
            "External ids must now be unique per clinic whatever their letter case, and "
            "these patients share one. Give each a distinct external id (or merge the "
            "records) in the admin or through the API, then run migrate again:\n  "
            + "\n  ".join(lines)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0014_clinic_time_zone"),
        ('patients', '0012_patient_time_zone_and_night_hours'),
    ]

    operations = [
        migrations.RunPython(refuse_clashes, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="patient",
            name="patient_external_id_unique_in_clinic",
        ),
        migrations.AddConstraint(
            model_name="patient",
            constraint=models.UniqueConstraint(
                models.F("clinic"),
                django.db.models.functions.text.Lower("external_id"),
                condition=models.Q(("external_id", ""), _negated=True),
                name="patient_external_id_unique_in_clinic_any_case",
                violation_error_message="Another patient of this clinic already has this external id.",
            ),
        ),
    ]
