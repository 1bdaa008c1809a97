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
def fixity_sweep() -> dict:
    """Re-hash every original and list store files no record names (media/fixity.py)."""
    from .fixity import sweep

    return sweep()


@task()
def rebuild_derived(item_id: int) -> str:
    """Make an item's lost poster, thumbnail or playable copy again (media/derived.py)."""
    from .derived import rebuild

    return rebuild(item_id)
