"""``{% earliest_hearing_date as d %}``: the first day the law allows a hearing, for the
date picker's ``min`` (the move checks the same day on the server, 第六十四条)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from fullrecord.cases import deadlines

register = template.Library()


@register.simple_tag
def earliest_hearing_date() -> str:
    earliest = deadlines.earliest_hearing_date(timezone.localdate())
    return earliest.date.isoformat() if earliest else ""
