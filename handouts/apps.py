from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoutsConfig(AppConfig):
    name = "handouts"
    verbose_name = _("Handouts")
