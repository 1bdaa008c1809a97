"""Reading the values layouts find: lenient about form, strict about what is kept."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime

from django.utils import timezone

# Characters a person cannot see or that reorder text (bidi controls) are dropped.
_HIDDEN = ("Cc", "Cf", "Cs", "Co", "Cn")


def clean_text(raw: str | None, limit: int) -> str:
    if not raw:
        return ""
    text = "".join(" " if ch.isspace() else ch for ch in str(raw))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _HIDDEN)
    return " ".join(text.split())[:limit]


def clean_device(raw: str | None) -> str:
    """Device numbers compare ignoring case and spaces: ``dsj a1`` is ``DSJA1``."""
    return clean_text(raw, 200).replace(" ", "").upper()[:50]


_FORMATS = (
    "%Y%m%d%H%M%S",
    "%Y%m%d%H%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日%H时%M分%S秒",
    "%Y%m%d %H%M%S",
    "%Y%m%d_%H%M%S",
    "%Y%m%d-%H%M%S",
)


def aware(moment: datetime) -> datetime:
    """A naive time is the local time of the bureau (settings.TIME_ZONE, Asia/Shanghai)."""
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def parse_time(raw) -> datetime | None:
    """A moment from what stations write: ISO 8601, ``YYYYMMDDHHMMSS``, 年月日, epoch seconds/ms."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return _epoch(float(raw))
    text = clean_text(str(raw), 64)
    if not text:
        return None
    if re.fullmatch(r"\d{10}(\.\d+)?|\d{13}", text):
        return _epoch(float(text))
    iso = text.replace("Z", "+00:00").replace("z", "+00:00")
    try:
        return aware(datetime.fromisoformat(iso))
    except ValueError:
        pass
    for fmt in _FORMATS:
        try:
            return aware(datetime.strptime(text, fmt))  # noqa: DTZ007 - made aware just here
        except ValueError:
            continue
    return None


def _epoch(value: float) -> datetime | None:
    if value > 1e12:  # milliseconds
        value /= 1000
    if not 9.4e8 < value < 4.1e9:  # 1999 … 2099: anything else is not a recording time
        return None
    return datetime.fromtimestamp(value, tz=UTC)


def parse_day(raw: str) -> date | None:
    """A folder named for a day: ``20260302``, ``2026-03-02``, ``2026_03_02``."""
    match = re.fullmatch(r"(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})", raw.strip())
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
