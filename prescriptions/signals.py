"""What the core announces to the surfaces above it, which may not be imported here."""

from django.dispatch import Signal

# Sent after the transaction that put a program in use has committed; `prescription_id`.
# The handouts app renders the new version's PDF in the background on it.
program_activated = Signal()

# Sent inside the transaction that acknowledges alerts, before it commits; `alerts`, a
# queryset of them to read at once. The integrations app writes its webhook events on it.
alerts_acknowledged = Signal()

# Sent inside the transaction that stored symptom logs in one insert (which sends no
# `post_save`), after their alerts; `logs`, the logs stored, and `alerts`, the alerts
# they opened (those they joined were already open). The integrations app writes its
# webhook events on it.
logs_stored = Signal()
