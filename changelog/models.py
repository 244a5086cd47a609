"""The change log: one row per row written in a synced table, inserted by a database
trigger in the writing transaction (see docs/sync.md and `triggers.py`).

A sync must not depend on when a row was stamped: a transaction stamps `updated_at`
before its slow work and its commit, so a row can become readable after a client has
passed its stamp. What a reader can know exactly is which writing transactions have
ended. On PostgreSQL each change records its transaction id (`txid`), and every
transaction older than the reader's snapshot `xmin` has committed or rolled back: the
changes below that watermark are final and none will be added there. On SQLite one
writer at a time holds the write lock from its first write to its commit, so change
ids are handed out in commit order and the highest id read is the watermark."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, models, transaction
from django.utils import timezone


class Resource(models.TextChoices):
    """What a change is about; the trigger of each table writes one of these."""

    PATIENT = "patient"
    PRESCRIPTION = "prescription"  # a program version and its items
    SYMPTOM_LOG = "symptom_log"
    ALERT = "alert"
    RED_FLAG_CHECK = "red_flag_check"
    OUTCOME_MEASURE = "outcome_measure"
    SUGGESTION = "suggestion"
    ASSESSMENT = "assessment"  # an assessment and its movement tests
    SESSION = "session"  # an exercise session (its logs are changes of their own)


def uses_transaction_ids() -> bool:
    return connection.vendor == "postgresql"


def watermark() -> int:
    """The position below which the change log is final for this reader: no
    transaction still running will add a change there."""
    with connection.cursor() as cursor:
        if uses_transaction_ids():
            cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        else:
            cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM changelog_change")
        return int(cursor.fetchone()[0])


def safe_instant() -> datetime:
    """An instant such that every row stamped at or before it (`updated_at`, by the
    app's clock, inside its transaction) is already readable, so a time filter
    (`_lastUpdated=gt` this instant) misses nothing that commits later. On PostgreSQL:
    now, less the age of the oldest transaction still open in this database (a row is
    stamped after its transaction began); the age is measured on the database's clock,
    so the app's and the database's clocks need not agree. On SQLite: the moment this
    reader held the write lock, when no writer was half-way."""
    if not uses_transaction_ids():
        # Every transaction on SQLite begins IMMEDIATE (settings): holding the lock means
        # the writers before us have committed and the ones after us stamp later. Inside
        # a transaction this connection holds it already.
        if connection.in_atomic_block:
            return timezone.now()
        with transaction.atomic():
            return timezone.now()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXTRACT(EPOCH FROM statement_timestamp() - MIN(xact_start)) "
            "FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        age = cursor.fetchone()[0]
    return now - timedelta(seconds=max(float(age or 0), 0))


class ChangeQuerySet(models.QuerySet):
    def about(self, resource: str) -> ChangeQuerySet:
        return self.filter(resource=resource)

    def between(self, start: int, end: int) -> ChangeQuerySet:
        """The changes at positions `start` (included) to `end` (excluded)."""
        position = "txid" if uses_transaction_ids() else "id"
        return self.filter(**{f"{position}__gte": start, f"{position}__lt": end})


class Change(models.Model):
    """One row inserted, updated or deleted in a synced table. Only the triggers write here."""

    id = models.BigAutoField(primary_key=True)
    resource = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    # PostgreSQL: the writing transaction's id (pg_current_xact_id); null on SQLite.
    txid = models.BigIntegerField(null=True)
    # The database's clock when the change was written (not the commit).
    changed_at = models.DateTimeField()

    objects = ChangeQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["resource", "txid", "object_id"], name="change_by_txid"),
            models.Index(fields=["resource", "object_id", "changed_at"], name="change_by_object"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resource__in=Resource.values), name="change_resource_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.object_id}"
