"""Durations as people read them: 1:02:03 or 2:03, not a count of seconds."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def clock(seconds) -> str:
    """``3723.4`` → ``1:02:03``; ``123`` → ``2:03``; ``7.6`` → ``0:08``; empty → ``""``."""
    if seconds in (None, ""):
        return ""
    try:
        total = round(float(seconds))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(max(total, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
