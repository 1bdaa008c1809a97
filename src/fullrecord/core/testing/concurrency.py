"""Running calls at the same moment, each on its own thread and database connection."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, connections


def race(*calls: Callable, timeout: float = 60) -> list:
    """Start ``calls`` together behind a barrier; return each result or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call: Callable) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # the result under test, checked by the caller
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a racing call hung"
    return results


@contextmanager
def threads_on_a_file(path: Path) -> Iterator[None]:
    """On SQLite, point the connections opened from now on (one per thread) at a file copy
    of the test database, with the production options.

    The test database lives in memory with a shared cache, whose table locks fail at once
    ("database table is locked") instead of waiting; production SQLite is a file in WAL
    mode where a second writer waits for the first (busy_timeout). The main thread's
    connection stays on the in-memory database. Nothing to do on PostgreSQL.
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    settings_dict = connections.settings["default"]
    name = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        settings_dict["NAME"] = name
