from typing import Any

from django.core.management.base import BaseCommand

from prescriptions.services import raise_inactivity_alerts


class Command(BaseCommand):
    help = (
        "Raise a 'no logs' alert for every patient with a program in use who has not "
        "logged for the clinic's number of days. Run it from cron, e.g. hourly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        alerts = raise_inactivity_alerts()
        self.stdout.write(f"{len(alerts)} new 'no logs' alert(s).")
