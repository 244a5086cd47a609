from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ClinicsConfig(AppConfig):
    default = True
    name = "clinics"
    verbose_name = _("Clinics")

    def ready(self) -> None:
        from . import mfa, signals  # noqa: F401  (connect their receivers)


class VerifiedAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with Centra's site: staff must have passed the code step."""

    default = False
    default_site = "clinics.admin_site.VerifiedAdminSite"
