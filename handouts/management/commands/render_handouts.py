from django.core.management.base import BaseCommand

from handouts.tasks import queue_renders_in_use


class Command(BaseCommand):
    help = (
        "Queue the worker's render of every handout copy of the programs in use. Run it "
        "once per release that changes the handout's template or stylesheet: until then "
        "each copy is rendered while its first reader waits."
    )

    def handle(self, *args: object, **options: object) -> None:
        queued = queue_renders_in_use()
        self.stdout.write(f"{queued} program(s) queued for the worker to render.")
