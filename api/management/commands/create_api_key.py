from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from api.models import create_api_key, end_of_day
from clinics.models import Clinic


class Command(BaseCommand):
    help = "Create an API key for a clinic and print it (the only time it is shown)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinic", required=True, help="The clinic's slug.")
        parser.add_argument("--name", required=True, help="Which system uses the key.")
        parser.add_argument(
            "--read-only", action="store_true", help="The key may read but not write."
        )
        parser.add_argument(
            "--expires",
            type=date.fromisoformat,
            help="YYYY-MM-DD: the key stops working at the end of this day.",
        )

    def handle(
        self,
        *args: Any,
        clinic: str,
        name: str,
        read_only: bool,
        expires: date | None = None,
        **options: Any,
    ) -> None:
        name = name.strip()
        if not name or len(name) > 50:
            raise CommandError("The name must be 1 to 50 characters.")
        found = Clinic.objects.filter(slug=clinic).first()
        if found is None:
            known = ", ".join(Clinic.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No clinic with the slug {clinic!r} (known: {known}).")
        if expires is not None and expires < timezone.localdate():
            raise CommandError("The expiry day is in the past.")
        api_key, key = create_api_key(
            clinic=found, name=name, read_only=read_only, expires_at=end_of_day(expires)
        )
        access = "read-only" if read_only else "read and write"
        self.stderr.write(
            f"Created {access} key {name!r} ({api_key.prefix}…) for {found.name}. "
            "Store it now: it is not shown again."
        )
        # The key alone on stdout, so that scripts can capture it.
        self.stdout.write(key)
