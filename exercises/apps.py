from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_catalog(sender, **kwargs) -> None:
    from exercises.catalog import load_catalog

    load_catalog(using=kwargs.get("using", "default"))


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = _("Exercises")

    def ready(self) -> None:
        # The built-in catalog is part of the schema's promise: present after every migrate.
        post_migrate.connect(_load_catalog, sender=self)
