"""``fullrecord serve``: gunicorn, the task worker and the scheduler, stopped together."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fullrecord.core import serving


class Command(BaseCommand):
    help = (
        "Serve with gunicorn (gthread workers) and run the background worker and the "
        "scheduler beside it; Ctrl-C or SIGTERM stops all three."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--bind",
            help=f"Address to listen on (FULLRECORD_BIND, now {settings.FULLRECORD_BIND}).",
        )
        parser.add_argument(
            "--workers", type=int, help="gunicorn worker processes (FULLRECORD_WEB_WORKERS)."
        )
        parser.add_argument(
            "--threads", type=int, help="Threads per worker (FULLRECORD_WEB_THREADS)."
        )
        parser.add_argument(
            "--timeout",
            type=int,
            help="gunicorn worker timeout in seconds (FULLRECORD_WEB_TIMEOUT).",
        )
        parser.add_argument("--no-worker", action="store_true", help="Do not run the task worker.")
        parser.add_argument("--no-scheduler", action="store_true", help="Do not run the scheduler.")

    def handle(self, *args, bind, workers, threads, timeout, no_worker, no_scheduler, **options):
        for name, value in (("--workers", workers), ("--threads", threads), ("--timeout", timeout)):
            if value is not None and value < 1:
                raise CommandError(f"{name} must be at least 1")
        supervisor = serving.Supervisor(
            serving.children(
                worker=not no_worker,
                scheduler=not no_scheduler,
                bind=bind,
                workers=workers,
                threads=threads,
                timeout=timeout,
            ),
            stop_seconds=settings.FULLRECORD_STOP_SECONDS,
            restart_seconds=settings.FULLRECORD_RESTART_SECONDS,
            say=self._say,
        )
        status = supervisor.run()
        if status:
            sys.exit(status)

    def _say(self, message: str) -> None:
        self.stderr.write(f"serve: {message}")
        self.stderr.flush()
