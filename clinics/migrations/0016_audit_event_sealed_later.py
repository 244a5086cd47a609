# Events are now sealed into their chain after the request (clinics.audit_seal), in
# the order `seq` records. Every event written so far was linked at once, in id order:
# that order becomes its place.

from django.conf import settings
from django.db import migrations, models

NUMBER_EXISTING = """
UPDATE clinics_auditevent SET seq = numbered.place
FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY clinic_id ORDER BY id) AS place
    FROM clinics_auditevent
) AS numbered
WHERE clinics_auditevent.id = numbered.id
"""

class Migration(migrations.Migration):

    dependencies = [
        ('clinics', '0015_clinic_reference_days'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='seq',
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunSQL(NUMBER_EXISTING, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(condition=models.Q(('seq__isnull', True)), fields=['id'], name='audit_event_pending'),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(fields=('clinic', 'seq'), name='audit_event_one_per_place'),
        ),
    ]
