from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from patients.signals import portal_access_revoked

        portal_access_revoked.connect(_end_reminders, dispatch_uid="reminders.end_on_revoke")


def _end_reminders(sender: Any, *, patient_id: int, **kwargs: Any) -> None:
    from .services import end_reminders

    end_reminders(patient_id=patient_id)
