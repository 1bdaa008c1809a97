"""gunicorn's configuration hooks for ``fullrecord serve`` (``--config python:...``).

The numbers (workers, threads, timeouts, bind) come from the command line that
``core/serving.py`` builds from the settings; this module holds only what must run
inside gunicorn's processes.
"""

from __future__ import annotations

# Django's request logging (core/logging) says what each request was; gunicorn's own
# access log would say it twice.
accesslog = None
errorlog = "-"
# Bodies of tus PATCHes are read by the application in blocks; no limit on them here.
limit_request_field_size = 8190


def child_exit(server, worker) -> None:
    """A gunicorn worker ended: prometheus-client's multiprocess mode drops its live gauges."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
