from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from prescriptions.signals import alerts_acknowledged, logs_stored
        from reminders.schedule import tick

        from . import events
        from .tasks import queue_due_webhooks

        for model, receiver in events.RECEIVERS:
            post_save.connect(receiver, sender=model, dispatch_uid=f"integrations.{model.__name__}")
        alerts_acknowledged.connect(
            events.alerts_acknowledged, dispatch_uid="integrations.alerts_acknowledged"
        )
        logs_stored.connect(events.logs_stored, dispatch_uid="integrations.logs_stored")
        tick.connect(queue_due_webhooks, dispatch_uid="integrations.deliver_due")
