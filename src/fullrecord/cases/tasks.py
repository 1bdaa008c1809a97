"""Background work on cases, through Django's tasks API."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_unchecked_completeness() -> int:
    """Cases left "not yet checked" (an upgrade, a catalogue edit) are checked again."""
    from . import completeness

    return completeness.refresh_unchecked()
