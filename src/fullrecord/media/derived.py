"""Where files derived from originals live: ``<data dir>/derived/ab/<sha256>/<kind>.<ext>``.

Derived files are conveniences, not evidence: they may be deleted and rebuilt. The
documented restore skips ``derived/``; a lost file is queued to be made again the first
time someone asks for it (:func:`lost_file`), and ``fullrecord rebuild_derived`` makes
them all again in one go.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException

from .models import Derivative, MediaItem


def root() -> Path:
    path = Path(settings.FULLRECORD_DERIVED_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_for(item: MediaItem, kind: str, ext: str) -> tuple[Path, str]:
    """The absolute path to write to, and the relative one to store on the Derivative."""
    relative = f"{item.sha256[:2]}/{item.sha256}/{kind}.{ext}"
    absolute = root() / relative
    absolute.parent.mkdir(parents=True, exist_ok=True)
    return absolute, relative


def absolute(derivative: Derivative) -> Path:
    return root() / derivative.path


# --- Rebuilding what was lost (after a restore that skipped derived/, a disk swap, …)

REQUEST_AGAIN_AFTER = timedelta(minutes=15)  # a rebuild whose worker died is asked for again


def kinds_on_disk(item: MediaItem) -> tuple[set[str], set[str]]:
    """The item's derived kinds whose file is there, and those recorded but gone."""
    present, lost = set(), set()
    for derivative in Derivative.objects.filter(item=item):
        (present if absolute(derivative).is_file() else lost).add(derivative.kind)
    return present, lost


def request_rebuild(item: MediaItem) -> bool:
    """Queue the item's derived files to be made again, once however many readers ask.

    The conditional update is the lock: of all the requests that find a file missing,
    one sets ``derived_requested_at`` and enqueues; the others see it set.
    """
    now = timezone.now()
    won = (
        MediaItem.objects.filter(pk=item.pk)
        .filter(
            Q(derived_requested_at=None) | Q(derived_requested_at__lt=now - REQUEST_AGAIN_AFTER)
        )
        .update(derived_requested_at=now)
    )
    item.derived_requested_at = now
    if won:
        from .signals import derived_lost

        pk = item.pk
        transaction.on_commit(lambda: derived_lost.send(sender=MediaItem, item_id=pk))
    return bool(won)


def rebuild(item_id: int) -> str:
    """Make every derived file of an item again from its original (analysis is idempotent)."""
    from .analysis import analyse_item

    item = MediaItem.objects.filter(pk=item_id).first()
    if item is None:
        return "gone"
    status = analyse_item(item)
    MediaItem.objects.filter(pk=item_id).update(derived_requested_at=None)
    return status


class BeingMade(APIException):
    """A derived file asked for while it is made again: answered 503 with Retry-After."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "being_made"
    wait = 30  # DRF sends it as Retry-After

    def __init__(self) -> None:
        super().__init__(_("This preview or playable copy is being made again; try shortly."))


def lost_file(item: MediaItem) -> BeingMade:
    """What a read of a recorded-but-missing derived file answers, after queueing the rebuild."""
    request_rebuild(item)
    return BeingMade()


def thumbnail_on_disk(item: MediaItem) -> bool:
    """True when the item's thumbnail file is there; a lost one is queued to be made again."""
    item.thumbnail_being_made = False
    for derivative in item.derivatives.all():
        if derivative.kind == "thumbnail":
            if absolute(derivative).is_file():
                return True
            item.thumbnail_being_made = True
            request_rebuild(item)
    return False
