"""A dependency-free progress bar for long commands (verify, ingest, migrations of data)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Redraws at most ten times a second; prints nothing when the output is not a terminal
    unless ``force`` is set, so logs stay clean."""

    def __init__(
        self,
        total: int,
        label: str = "",
        *,
        stream: TextIO | None = None,
        unit: str = "",
        force: bool = False,
        width: int = 30,
    ) -> None:
        self.total, self.label, self.unit, self.width = max(total, 0), label, unit, width
        self.stream = stream or sys.stderr
        self.enabled = force or getattr(self.stream, "isatty", lambda: False)()
        self.done = 0
        self._last = 0.0

    def update(self, done: int) -> None:
        self.done = done
        now = time.monotonic()
        if self.enabled and (now - self._last > 0.1 or done >= self.total):
            self._last = now
            self._draw()

    def advance(self, step: int = 1) -> None:
        self.update(self.done + step)

    def _draw(self) -> None:
        fraction = min(self.done / self.total, 1.0) if self.total else 1.0
        filled = int(fraction * self.width)
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {fraction:6.1%} {self.done}/{self.total}{self.unit}"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
