"""The to-do queue (待办): what waits for a user, gathered from every app.

``core`` knows no object type: each app that makes someone the next actor
(a case move, an approval, an access request, a fault, a rectification …)
registers a provider in its ``AppConfig.ready``; the dashboard and the API
call :func:`items_for`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class TodoItem:
    kind: str  # a short stable key, e.g. "case.file" or "access.decide"
    title: str  # what waits, in the user's language
    url: str
    subject: str = ""  # e.g. the case number
    due: date | None = None
    overdue: bool = False


Provider = Callable[[object], Iterable[TodoItem]]
_PROVIDERS: list[Provider] = []


def provider(func: Provider) -> Provider:
    """Register a source of to-do items (call from ``AppConfig.ready``)."""
    _PROVIDERS.append(func)
    return func


def items_for(user) -> list[TodoItem]:
    """Everything waiting for ``user``: overdue first, then by due date."""
    items = [item for func in _PROVIDERS for item in func(user)]
    items.sort(key=lambda item: (not item.overdue, item.due or date.max, item.title))
    return items
