from typing import Any

from django.core.management.base import BaseCommand

from prescriptions.progression import rebuild_suggestions
from prescriptions.summary import rebuild_adherence, rebuild_summaries


class Command(BaseCommand):
    help = (
        "Recompute every patient's stored overview (last log, where the pain reaches, open "
        "alerts, program in use, adherence, progression suggestion) from their logs, alerts "
        "and programs. Needed only after changing those tables outside Centra, e.g. a bulk "
        "import in SQL, or after changing TIME_ZONE."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_summaries()
        rebuild_adherence()
        self.stdout.write(f"Recomputed the overview of {count} patient(s).")
        checked = rebuild_suggestions()
        self.stdout.write(f"Checked the progression suggestion of {checked} patient(s).")
