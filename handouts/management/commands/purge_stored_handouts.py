from django.core.management.base import BaseCommand

from handouts.stored import purge_stored_handouts


class Command(BaseCommand):
    help = (
        "Delete stored handout PDFs older than HANDOUT_STORE_DAYS, those of programs "
        "no longer in use or of archived patients, and any an earlier release left "
        "under MEDIA_ROOT. Run it daily (cron, a systemd timer)."
    )

    def handle(self, *args: object, **options: object) -> None:
        removed = purge_stored_handouts()
        self.stdout.write(f"{removed} stored handout(s) deleted.")
