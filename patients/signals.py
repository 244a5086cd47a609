"""What the patient record announces to the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent after the transaction that ended a patient's portal access has committed;
# `patient_id`. Whatever the portal login kept going (stored handouts, reminders,
# the calendar feed, push) is ended by the app that owns it.
portal_access_revoked = Signal()
