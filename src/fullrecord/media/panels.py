"""Blocks other apps add to a record's page (``devices``: marked moments and clips).

Media imports no such app: each registers ``func(request, item) -> html`` in its
``AppConfig.ready``; the page shows what they return below the player.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

Panel = Callable[..., str]
_PANELS: list[Panel] = []


def register(func: Panel) -> Panel:
    if func not in _PANELS:
        _PANELS.append(func)
    return func


def render_all(request, item) -> list[SafeString]:
    # Each panel renders a template of its own app (escaped there).
    return [mark_safe(html) for func in _PANELS if (html := func(request, item))]  # noqa: S308
