"""Fixity: every original the database knows is in the store with the bytes it was hashed as."""

from __future__ import annotations

from collections.abc import Callable

from fullrecord.media.models import MediaItem
from fullrecord.media.store import StoreError, get_store


def verify_originals(progress: Callable[[int], None] | None = None) -> list[str]:
    store = get_store()
    problems = []
    known = set()
    for done, (pk, sha256) in enumerate(
        MediaItem.objects.order_by("pk").values_list("pk", "sha256").iterator(chunk_size=2000), 1
    ):
        known.add(sha256)
        try:
            if not store.verify(sha256):
                problems.append(
                    f"original #{pk} ({sha256}): stored bytes no longer match their hash"
                )
        except (StoreError, OSError):
            problems.append(f"original #{pk} ({sha256}): missing from the store")
        if progress:
            progress(done)
    return problems
