from django.core.management.base import BaseCommand

from fullrecord.calendars.services import seed_from_chinese_calendar
from fullrecord.cases.deadlines import recompute_provisional


class Command(BaseCommand):
    help = (
        "Load years the chinese-calendar package knows and the database does not, then "
        "recount provisional deadlines."
    )

    def handle(self, *args, **options) -> None:
        added = seed_from_chinese_calendar()
        self.stdout.write(f"years added: {', '.join(map(str, added)) or 'none'}")
        self.stdout.write(f"provisional deadlines recounted: {recompute_provisional()}")
