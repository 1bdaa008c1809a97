"""Bureau time of footage: what a device's clock said, put right by those who know it.

A device's clock may be off (a body camera set by hand). Media keeps the time the
device wrote; an app that knows a device's offset (``devices``: measured at checkout)
registers a corrector here in its ``AppConfig.ready`` and the case timeline shows the
corrected time. Media imports no such app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

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
