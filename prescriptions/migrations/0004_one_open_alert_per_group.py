from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("prescriptions", "0003_group_existing_alerts"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='alert',
            constraint=models.UniqueConstraint(condition=models.Q(('acknowledged_at__isnull', True), ('exercise__isnull', False)), fields=('patient', 'kind', 'exercise'), name='alert_one_open_per_exercise'),
        ),
        migrations.AddConstraint(
            model_name='alert',
            constraint=models.UniqueConstraint(condition=models.Q(('acknowledged_at__isnull', True), ('exercise__isnull', True)), fields=('patient', 'kind'), name='alert_one_open_per_kind'),
        ),
    ]
