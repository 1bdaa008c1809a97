"""Keyset pagination on (used_at, id), newest first: constant cost at any depth, no COUNT(*)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet


@dataclass
class Page:
    items: list
    next_cursor: str | None


def encode(used_at: datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{used_at.isoformat()}|{pk}".encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.rsplit("|", 1)
        return datetime.fromisoformat(stamp), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def paginate(queryset: QuerySet, cursor: str | None, size: int) -> Page:
    queryset = queryset.order_by("-used_at", "-id")
    position = decode(cursor) if cursor else None
    if position:
        used_at, pk = position
        # The redundant used_at <= bound lets the index scan start at the cursor rather
        # than at the newest row (an OR alone is no index bound): deep pages cost the same.
        queryset = queryset.filter(
            Q(used_at__lte=used_at), Q(used_at__lt=used_at) | Q(used_at=used_at, id__lt=pk)
        )
    rows = list(queryset[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, encode(rows[-1].used_at, rows[-1].pk) if more and rows else None)
