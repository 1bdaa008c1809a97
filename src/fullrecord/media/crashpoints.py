"""Named points in the finish of an upload where a test may kill the process.

``FULLRECORD_CRASH_AT`` (unset in production) names one point; a process reaching it
sends itself SIGKILL, which no handler, ``finally`` or atexit hook survives, so a test
sees exactly what a power cut or ``kill -9`` at that point leaves behind. The points,
in order: ``spool-complete`` (every byte durable in the spool file, nothing recorded),
``received`` (the upload row holds the bytes' hash), ``linked`` (the original is in the
store), ``committed`` (the item, its audit entry and the closed upload are committed),
``spool-removed`` (only the answer is left to send).
"""

from __future__ import annotations

import os
import signal

from django.conf import settings

POINTS = ("spool-complete", "received", "linked", "committed", "spool-removed")


def crash_point(name: str) -> None:
    """Die here, as ``kill -9`` would, when the settings name this point."""
    if name == settings.FULLRECORD_CRASH_AT:
        os.kill(os.getpid(), signal.SIGKILL)
