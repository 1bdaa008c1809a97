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
    from .signals import item_changed

    item_changed.send(MediaItem, item_id=item_id)
    return status


def queue_analysis(sender, *, item_id: int, **kwargs) -> None:
    """Connected to ``signals.item_received``: a new original's analysis is queued."""
    analyse_media.enqueue(item_id)


@task()
def expire_uploads() -> int:
    """Remove unfinished tus uploads past their expiry (the tus expiration extension),
    then finish every upload whose bytes were all received and adopt store files no
    record names (``recovery.adopt_orphans``): a crash in a finish heals here."""
    from .recovery import adopt_orphans
    from .tus import expire_stale_uploads

    expired = expire_stale_uploads()
    adopt_orphans()
    return expired


@task()
def sweep() -> dict:
    """Queue analysis a crash left unqueued; remove part files no live work holds."""
    from .sweep import sweep as run_sweep

    return run_sweep().as_dict()


@task()
def fixity_sweep() -> dict:
    """Re-hash every original and list store files no record names (media/fixity.py)."""
    from .fixity import sweep

    return sweep()


def queue_rebuild(sender, *, item_id: int, **kwargs) -> None:
    """Connected to ``signals.derived_lost``: an item's lost derived files are made again."""
    rebuild_derived.enqueue(item_id)


@task()
def rebuild_derived(item_id: int) -> str:
    """Make an item's lost poster, thumbnail or playable copy again (media/derived.py)."""
    from .derived import rebuild

    return rebuild(item_id)
