"""Moving the test database to a migration and reading the models as it left them, for
the tests that check a data migration on a database made before it."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets):
    """Migrate to `targets` and return the models as every applied migration left them
    (apps not named stay at their latest).

    The change feed is emptied first. Emptying a database after a transactional test
    deletes rows one table after another, and the feed's triggers record each deletion,
    so entries of kinds an old schema does not know (a session, say) are left behind;
    they would fail the old constraint on the way back. Nothing else reads the feed of a
    database made before it."""
    with connection.cursor() as cursor:
        if "changelog_change" in connection.introspection.table_names(cursor):
            cursor.execute("DELETE FROM changelog_change")
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
