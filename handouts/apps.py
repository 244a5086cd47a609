import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoutsConfig(AppConfig):
    name = "handouts"
    verbose_name = _("Handouts")

    def ready(self) -> None:
        # WeasyPrint reports every layout step at INFO; that would fill the server log
        # with seven lines per handout. Its warnings and errors still come through.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

        from django.db.models.signals import post_save

        from patients.models import Patient
        from patients.signals import portal_access_revoked
        from prescriptions.signals import program_activated

        from . import checks  # noqa: F401 (registers the storage check)
        from .tasks import forget_archived, forget_revoked, forget_superseded, queue_render

        program_activated.connect(queue_render, dispatch_uid="handouts.render_on_activation")
        program_activated.connect(
            forget_superseded, dispatch_uid="handouts.forget_superseded_copies"
        )
        portal_access_revoked.connect(forget_revoked, dispatch_uid="handouts.forget_on_revoke")
        # Whatever archives the record (the dashboard, the API, the admin, an import).
        post_save.connect(forget_archived, sender=Patient, dispatch_uid="handouts.forget_archived")
