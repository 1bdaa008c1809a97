import time

from django.core.management.base import BaseCommand

from fullrecord.core.periodic import enqueue_due


class Command(BaseCommand):
    help = "Enqueue periodic background jobs when due (run beside `fullrecord db_worker`)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between checks.")

    def handle(self, *args, once: bool, interval: int, **options) -> None:
        while True:
            for name in enqueue_due():
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
