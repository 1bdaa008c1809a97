"""Bureau time of footage: what a device's clock said, put right by those who know it.

A device's clock may be off (a body camera set by hand). Media keeps the time the
device wrote; an app that knows a device's offset (``devices``: measured at checkout)
registers a corrector here in its ``AppConfig.ready`` and the case timeline shows the
corrected time. Media imports no such app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

Corrector = Callable[[list], dict[int, datetime]]
_CORRECTORS: list[Corrector] = []


def register(func: Corrector) -> Corrector:
    """``func(items) -> {item_id: bureau time}`` for the items it knows."""
    if func not in _CORRECTORS:
        _CORRECTORS.append(func)
    return func


def bureau_times(items: Iterable) -> dict[int, datetime]:
    items = list(items)
    found: dict[int, datetime] = {}
    for func in _CORRECTORS:
        for pk, at in func(items).items():
            found.setdefault(pk, at)
    return found


def offset_text(seconds: float) -> str:
    """A clock offset for people: "+2 小时 3 分", "-45 秒" (device ahead: plus)."""
    sign = "-" if seconds < 0 else "+"
    total = round(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        text = _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    elif minutes:
        text = _("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": secs}
    else:
        text = _("%(seconds)d s") % {"seconds": secs}
    return sign + text


def correction_note(device_time: datetime, bureau_time: datetime | None) -> str:
    """What the device's own clock said and by how much it was put right; empty when it
    needed no correction. The record's stored time is never changed."""
    if bureau_time is None:
        return ""
    offset = (device_time - bureau_time).total_seconds()
    if abs(offset) < 1:
        return ""
    return _("device time %(time)s (corrected for a clock offset of %(offset)s)") % {
        "time": timezone.localtime(device_time).strftime("%Y-%m-%d %H:%M:%S"),
        "offset": offset_text(offset),
    }
