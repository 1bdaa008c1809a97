"""Reading what devices write: timestamps, ISO 6709 positions, raw probe data."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import pgettext

METADATA_LIMIT = 48 * 1024  # bytes of JSON kept from the probe

TAG_LIMIT = 60

VALUE_LIMIT = 300

ISO6709 = re.compile(
    r"^\s*(?P<lat>[+-]\d+(?:\.\d+)?)(?P<lon>[+-]\d+(?:\.\d+)?)(?P<alt>[+-]\d+(?:\.\d+)?)?"
    r"(?:CRS[^/]*)?/?\s*$"
)


def parse_iso6709(text: str) -> tuple[float, float] | None:
    """Latitude and longitude from an ISO 6709 string such as ``+39.9042+116.4074+044.000/``.

    Degrees, degrees-minutes (``+3954.25+11624.44/``) and degrees-minutes-seconds
    forms are told apart by the number of whole digits, as the standard does.
    """
    match = ISO6709.match(text or "")
    if not match:
        return None
    try:
        lat = _iso6709_part(match["lat"], 2)
        lon = _iso6709_part(match["lon"], 3)
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _iso6709_part(text: str, degree_digits: int) -> float:
    sign = -1 if text[0] == "-" else 1
    whole, _dot, fraction = text[1:].partition(".")
    fraction = f".{fraction}" if fraction else ""
    if len(whole) == degree_digits:
        value = float(whole + fraction)
    elif len(whole) == degree_digits + 2:
        value = int(whole[:degree_digits]) + float(whole[degree_digits:] + fraction) / 60
    elif len(whole) == degree_digits + 4:
        value = (
            int(whole[:degree_digits])
            + int(whole[degree_digits : degree_digits + 2]) / 60
            + float(whole[degree_digits + 2 :] + fraction) / 3600
        )
    else:
        raise ValueError(text)
    return sign * value


DATE_FORMATS = ("%a %b %d %H:%M:%S %Y", "%Y/%m/%d %H:%M:%S", "%Y%m%d%H%M%S", "%Y%m%dT%H%M%S")

UNSET_CLOCK = datetime(1970, 1, 2, tzinfo=UTC)  # 1904 or 1970 epochs: the device had no time


def parse_device_time(text: str, naive_zone=UTC) -> datetime | None:
    """A timestamp as devices write it, as an aware datetime (``naive_zone`` when none given).

    Containers (MP4 ``creation_time``) record UTC; cameras write EXIF in local time,
    so photos pass the bureau's zone.

    Accepts ISO 8601 (``2024-05-01T08:30:00.000000Z``, ``…+0800``), EXIF
    (``2024:05:01 16:30:00`` with an optional ``+08:00``) and a few camera styles.
    """
    text = as_text(text).strip().rstrip("\x00").strip()
    if not text:
        return None
    candidate = re.sub(r"^(\d{4}):(\d{2}):(\d{2})", r"\1-\2-\3", text)
    candidate = re.sub(r"\s*(UTC|GMT)$", "Z", candidate)
    moment = None
    try:
        moment = datetime.fromisoformat(candidate.replace(" ", "T", 1))
    except ValueError:
        for fmt in DATE_FORMATS:
            try:
                moment = datetime.strptime(text, fmt)  # noqa: DTZ007 - zone added below
                break
            except ValueError:
                continue
    if moment is None or (moment.hour == 0 and len(text) <= 10 and "T" not in text):
        return None  # a bare date does not say when recording began
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=naive_zone)
    if moment < UNSET_CLOCK or moment.year > 2200:
        return None
    return moment


def coordinates(lat: float, lon: float) -> tuple[Decimal | None, Decimal | None]:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None, None  # 0,0 is what receivers write before they have a fix
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def as_text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def clock(seconds: float) -> str:
    """``4.2 s`` under a minute, ``1:02:03`` from there on."""
    if seconds < 59.5:
        return pgettext("duration in seconds", "%(n)s s") % {"n": f"{seconds:.1f}"}
    whole = int(round(seconds))
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def plain_error(exc: BaseException | None) -> str:
    """FFmpeg's and Pillow's complaint without paths or error numbers."""
    if exc is None:
        return ""
    message = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    message = re.sub(r"\[Errno -?\d+\]\s*", "", str(message))
    message = re.sub(r":\s*'[^']*'$", "", message)
    return message.strip()[:120]


def bounded(value: Any, *, limit: int = METADATA_LIMIT) -> Any:
    """``value`` made JSON-safe (no NULs, NaNs, bytes or odd types) and at most ``limit`` bytes."""
    safe = _json_safe(value, depth=0)
    if len(json.dumps(safe, ensure_ascii=False)) <= limit:
        return safe
    # Too big: drop tags (cover art, vendor blobs) before dropping anything else.
    safe = _json_safe(value, depth=0, tag_budget=8)
    if len(json.dumps(safe, ensure_ascii=False)) <= limit:
        return safe
    return {"truncated": True}


def _json_safe(value: Any, *, depth: int, tag_budget: int = TAG_LIMIT) -> Any:
    if depth > 6:
        return None
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Fraction | Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value[:32].hex() + ("…" if len(value) > 32 else "")
    if isinstance(value, dict):
        out = {}
        for key, item in list(value.items())[:tag_budget]:
            out[_clean_string(str(key))[:80]] = _json_safe(
                item, depth=depth + 1, tag_budget=tag_budget
            )
        return out
    if isinstance(value, list | tuple):
        return [_json_safe(v, depth=depth + 1, tag_budget=tag_budget) for v in value[:32]]
    if hasattr(value, "numerator") and hasattr(value, "denominator"):  # IFDRational
        try:
            number = float(value)
        except (ZeroDivisionError, ValueError):
            return None
        return number if math.isfinite(number) else None
    return _clean_string(str(value))[:VALUE_LIMIT]


def _clean_string(text: str) -> str:
    # PostgreSQL's jsonb refuses \u0000; lone surrogates cannot be encoded at all.
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
