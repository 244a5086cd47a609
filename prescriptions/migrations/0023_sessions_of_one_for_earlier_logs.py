"""Every log belongs to a session: each log stored before sessions existed becomes a
session of one, its pain and location the "after", with no "before" to compare with.
The logs themselves (answers, findings, references) are left as they were."""

from django.db import migrations

BATCH = 1000


def sessions_of_one(apps, schema_editor):
    SymptomLog = apps.get_model("prescriptions", "SymptomLog")
    ExerciseSession = apps.get_model("prescriptions", "ExerciseSession")
    while True:
        logs = list(
            SymptomLog.objects.filter(session__isnull=True)
            .select_related("item")
            .order_by("pk")[:BATCH]
        )
        if not logs:
            return
        sessions = ExerciseSession.objects.bulk_create(
            [
                ExerciseSession(
                    patient_id=log.patient_id,
                    prescription_id=log.item.prescription_id,
                    logged_at=log.logged_at,
                    after_pain=log.pain,
                    after_location=log.location,
                    response="not_compared",
                    new_symptoms=log.new_symptoms,
                    source=log.source,
                    entered_by_id=log.entered_by_id,
                )
                for log in logs
            ]
        )
        for log, session in zip(logs, sessions, strict=True):
            log.session_id = session.pk
        SymptomLog.objects.bulk_update(logs, ["session"])


class Migration(migrations.Migration):
    dependencies = [("prescriptions", "0022_exercise_sessions")]

    operations = [migrations.RunPython(sessions_of_one, migrations.RunPython.noop)]
