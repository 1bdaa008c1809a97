import logging
import select

from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections

from fullrecord.core.periodic import enqueue_due
from fullrecord.core.worker import Backoff

logger = logging.getLogger("fullrecord.scheduler")


class Command(BaseCommand):
    help = "Enqueue periodic background jobs when due (run beside `fullrecord worker`)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between checks.")

    def handle(self, *args, once: bool, interval: int, **options) -> None:
        backoff = Backoff()
        while True:
            try:
                for name in enqueue_due():
                    self.stdout.write(f"enqueued {name}")
                backoff.reset()
                wait = interval
            except DatabaseError as exc:
                # A full disk or a lock held past the timeout passes; the schedule is
                # kept in the database, so nothing due is lost by waiting.
                if once:
                    raise
                wait = backoff.next()
                self.stderr.write(
                    f"database error ({type(exc).__name__}: {exc}); retrying in {wait:.1f}s"
                )
                connections.close_all()
            if once:
                return
            select.select([], [], [], wait)
