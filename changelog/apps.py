from django.apps import AppConfig


class ChangelogConfig(AppConfig):
    # Not in the admin: only the database's triggers write here, and syncs read it.
    name = "changelog"
