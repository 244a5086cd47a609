from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FhirR4Config(AppConfig):
    # Not named `fhir`: that package name belongs to the `fhir.resources` library.
    name = "fhir_r4"
    verbose_name = _("FHIR R4 API")

    def ready(self) -> None:
        from .communications import register

        register()
