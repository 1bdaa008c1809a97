"""``fullrecord worker``: run background tasks with leases, retries and a memory bound.

Use it instead of django-tasks-db's ``db_worker`` (same options); core/worker.py
says what it adds and why.
"""

from __future__ import annotations

import logging
import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from fullrecord.core.worker import LeasedWorker, logger


class Command(DbWorkerCommand):
    help = (
        "Run background tasks (media analysis, copies, signing): leased, retried, "
        "memory-bounded, surviving database errors."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # A fresh id per process: db_worker's default is drawn once, at import.
        parser.set_defaults(worker_id=None, reload=False)

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        logger.setLevel(logging.WARNING if verbosity == 0 else logging.INFO)
        if not logger.handlers:
            handler = logging.StreamHandler(self.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            logger.addHandler(handler)
            logger.propagate = False

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, **options) -> None:  # fmt: skip
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        worker = LeasedWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id or f"{os.uname().nodename[:40]}-{get_random_string(16)}",
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
