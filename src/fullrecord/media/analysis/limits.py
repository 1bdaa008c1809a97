"""Decompression bombs: a picture's declared size is checked before a single pixel is decoded.

A PNG of 19 KB can declare 156 megapixels; decoding it took a worker to 1.5 GB. Such a
file is still evidence (第七条): it is kept and described, only not decoded.
Pillow's own ``MAX_IMAGE_PIXELS`` guard only warns below twice its limit, so the
project's limit (``FULLRECORD_ANALYSIS_MAX_PIXELS``) is checked first.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _


def too_many_pixels(width: int | None, height: int | None) -> bool:
    return (width or 0) * (height or 0) > settings.FULLRECORD_ANALYSIS_MAX_PIXELS


def too_large_problem(width: int, height: int) -> str:
    return _(
        "The picture declares %(width)s×%(height)s pixels (%(megapixels)s megapixels), too "
        "large to preview; it was not decoded. The original is kept as received."
    ) % {
        "width": width,
        "height": height,
        "megapixels": f"{width * height / 1e6:.0f}",
    }
