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

        from prescriptions.signals import program_activated

        from .tasks import queue_render

        program_activated.connect(queue_render, dispatch_uid="handouts.render_on_activation")
