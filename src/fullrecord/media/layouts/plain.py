"""A plain tree: ``<device>/<officer-cert>/<file>``, exactly two folders under the root.

Only at that depth, and only when both folder names hold a digit (device and
certificate numbers do), so that a tree of another shape (``photos/march/…``)
is not read as device ``PHOTOS`` and officer ``march``.
"""

from __future__ import annotations

from . import Found, Source, layout
from .values import parse_day


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


@layout("plain", priority=10)
def parse(source: Source) -> Found | None:
    folders = source.folders
    if len(folders) != 2 or parse_day(folders[1]) is not None:
        return None
    device, officer = folders
    if not (_has_digit(device) and _has_digit(officer)):
        return None
    return Found(device_number=device, officer=officer)
