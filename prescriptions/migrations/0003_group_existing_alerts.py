"""Give the logs and alerts stored before grouped alerts what the new rules expect.

Logs told to stop by the old rules keep that mark; each alert links its log and
exercise; open alerts of the same patient, kind and exercise merge into the oldest,
whose count becomes the number merged, so the new one-open-alert constraints hold.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    SymptomLog = apps.get_model("prescriptions", "SymptomLog")
    Alert = apps.get_model("prescriptions", "Alert")
    SymptomLog.objects.filter(during="peripheralize").update(stop_exercise=True)
    SymptomLog.objects.filter(after="worse").update(stop_exercise=True)
    per_exercise = {"peripheralization", "worse"}
    groups = {}
    for alert in Alert.objects.select_related("symptom_log__item").order_by("created_at", "id"):
        if alert.symptom_log_id is not None:
            alert.logs.add(alert.symptom_log_id)
            if alert.kind in per_exercise:
                alert.exercise_id = alert.symptom_log.item.exercise_id
        alert.last_seen_at = alert.created_at
        alert.save(update_fields=["exercise", "last_seen_at"])
        if alert.acknowledged_at is not None:
            continue
        key = (alert.patient_id, alert.kind, alert.exercise_id)
        first = groups.get(key)
        if first is None:
            groups[key] = alert
            continue
        first.count += 1
        first.last_seen_at = alert.created_at
        first.message = alert.message
        if alert.severity == "urgent":
            first.severity = "urgent"
        first.save(update_fields=["count", "last_seen_at", "message", "severity"])
        first.logs.add(*alert.logs.all())
        alert.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("prescriptions", "0002_grouped_alerts_and_log_findings"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
