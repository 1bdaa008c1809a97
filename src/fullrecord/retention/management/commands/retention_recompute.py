"""``fullrecord retention_recompute``: the keep-until date of every original, again.

Run once after upgrading to the release that brought retention (existing originals had
no date), or after editing case-file terms when the change should show before the daily
listing does it.
"""

from django.core.management.base import BaseCommand

from fullrecord.retention import services


class Command(BaseCommand):
    help = "Recompute every original's keep-until date and why."

    def handle(self, *args, **options) -> None:
        count = services.refresh_all()
        self.stdout.write(self.style.SUCCESS(f"{count} originals: keep-until dates recomputed."))
