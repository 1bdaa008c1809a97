"""Tasks the worker tests run in real ``fullrecord worker`` processes.

They live in the package (not under tests/) because a worker imports a task by its
dotted path. Each one works in a folder the test names and controls.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from django.conf import settings
from django_tasks import task


def _note(folder: str, name: str, line: str) -> None:
    with open(Path(folder) / name, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


@task()
def wait_at_gate(folder: str) -> str:
    """Say it started (worker pid), wait until the test opens the gate FIFO, say it finished."""
    _note(folder, "started", f"{os.getppid()} {os.getpid()}")
    with open(Path(folder) / "gate", "rb") as gate:  # blocks until the test opens it to write
        gate.read()
    _note(folder, "finished", f"{os.getppid()} {os.getpid()}")
    return "done"


@task()
def always_fails(folder: str) -> None:
    _note(folder, "attempts", str(os.getpid()))
    raise RuntimeError("this task always fails")


@task()
def needs_too_much_memory(folder: str) -> int:
    _note(folder, "attempts", str(os.getpid()))
    hoard = bytearray(settings.FULLRECORD_TASK_MEMORY_MB * 2 * 1024 * 1024)
    return len(hoard)


@task()
def killed_outright(folder: str) -> None:
    """What the kernel's out-of-memory killer does to a task: SIGKILL, no exception."""
    _note(folder, "attempts", str(os.getpid()))
    os.kill(os.getpid(), signal.SIGKILL)


@task()
def says_hello(folder: str) -> str:
    _note(folder, "hello", str(os.getppid()))
    return "hello"


@task()
def returns_what_cannot_be_stored(folder: str) -> object:
    """Finishes, but its return value is not JSON: recorded as the task's error."""
    _note(folder, "attempts", str(os.getpid()))
    return {1, 2}
