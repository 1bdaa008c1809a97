"""Where files derived from originals live: ``<data dir>/derived/ab/<sha256>/<kind>.<ext>``.

Derived files are conveniences, not evidence: they may be deleted and rebuilt.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

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
