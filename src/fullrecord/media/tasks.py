"""Background work on originals, through Django's tasks API (any worker, any machine)."""

from __future__ import annotations

from django_tasks import task


@task()
def analyse_media(item_id: int) -> str:
    """Probe metadata, make poster/thumbnails and a playable copy, place it in its session."""
    from . import analysis, sessions
    from .models import MediaItem

    item = MediaItem.objects.filter(pk=item_id).first()
    if item is None:
        return "gone"
    status = analysis.analyse_item(item)
    sessions.place_in_session(MediaItem.objects.get(pk=item_id))
    return status


@task()
def expire_uploads() -> int:
    """Remove unfinished tus uploads past their expiry (the tus expiration extension)."""
    from .tus import expire_stale_uploads

    return expire_stale_uploads()


@task()
def sweep() -> dict:
    """Queue analysis a crash left unqueued; remove part files no live work holds."""
    from .sweep import sweep as run_sweep

    return run_sweep().as_dict()
