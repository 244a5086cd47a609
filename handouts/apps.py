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
