"""Poster frames and thumbnails: JPEGs written beside, never into, the evidence."""

from __future__ import annotations

import contextlib
import fcntl
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

from .. import derived
from ..choices import DerivativeKind
from ..models import MediaItem
from .findings import DerivedFile, Findings

POSTER_BOX = 1280

THUMBNAIL_WIDTH = 320


def picture_derivatives(item: MediaItem, picture: Image.Image, found: Findings) -> None:
    rgb = _rgb(picture)
    poster = rgb.copy()
    poster.thumbnail((POSTER_BOX, POSTER_BOX))
    found.derived[DerivativeKind.POSTER] = _save_jpeg(item, DerivativeKind.POSTER, poster)
    thumb = rgb.copy()
    if thumb.width > THUMBNAIL_WIDTH:
        thumb = thumb.resize(
            (THUMBNAIL_WIDTH, max(1, round(thumb.height * THUMBNAIL_WIDTH / thumb.width))),
            Image.Resampling.LANCZOS,
        )
    found.derived[DerivativeKind.THUMBNAIL] = _save_jpeg(item, DerivativeKind.THUMBNAIL, thumb)


def _rgb(picture: Image.Image) -> Image.Image:
    if picture.mode == "RGB":
        return picture
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        rgba = picture.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return picture.convert("RGB")


def _save_jpeg(item: MediaItem, kind: str, picture: Image.Image) -> DerivedFile:
    absolute, relative = derived.path_for(item, kind, "jpg")
    with replacing(absolute) as temp:
        picture.save(temp, format="JPEG", quality=85, optimize=True)
    return DerivedFile(kind, absolute, relative, "image/jpeg", picture.width, picture.height)


@contextlib.contextmanager
def replacing(final: Path) -> Iterator[Path]:
    """Write to a temporary name and move into place, so readers never see half a file."""
    temp = final.with_name(f".{final.name}.{uuid.uuid4().hex}.part")
    # Locked while written: the sweep (media/sweep.py) removes only unlocked parts.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield temp
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)
        os.close(fd)
