"""Moving the test database to a migration and reading the models as it left them, for
the tests that check a data migration on a database made before it."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets):
    """Migrate to `targets` and return the models as every applied migration left them
    (apps not named stay at their latest)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(
        [key for key in executor.loader.applied_migrations if key[0] != "__first__"]
    ).apps


def migrate_to_latest():
    """Bring the test database back to every app's latest migration."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
