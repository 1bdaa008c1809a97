"""GA/T 947-style body-camera names: ``<设备编号>_<执法证号>_<YYYYMMDDHHMMSS>_<序号>.<ext>``.

Cameras and stations write this with variations, all accepted: other
separators (``-``, ``.``, ``#``, spaces), the time split as
``YYYYMMDD_HHMMSS``, a unit prefix before the device number, no officer, no
sequence number, any case. A device number must contain a digit, so a phone's
``IMG_20260302_090000.jpg`` is not taken for a camera called ``IMG``.
"""

from __future__ import annotations

import re
from datetime import datetime

from . import Found, Source, layout
from .values import aware

_STAMP = re.compile(r"(?<!\d)(\d{8})[_\-T. ]?(\d{6})(?!\d)")
_SEPARATORS = re.compile(r"[_\s#.]+")
_SEQUENCE = re.compile(r"^[_\-\s#.]*(\d{1,6})(?!\d)")


def _has_digit(token: str) -> bool:
    return any(ch.isdigit() for ch in token)


def split_name(name: str) -> Found | None:
    stem = name.rsplit(".", 1)[0] if "." in name.strip(".") else name
    for match in _STAMP.finditer(stem):
        try:
            started = datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")  # noqa: DTZ007
        except ValueError:
            continue
        tokens = [t for t in _SEPARATORS.split(stem[: match.start()].strip(" _-.#")) if t]
        device, officer, prefix = "", "", []
        if len(tokens) >= 2:
            *prefix, device, officer = tokens
        elif len(tokens) == 1:
            halves = tokens[0].rsplit("-", 1)
            if len(halves) == 2 and all(_has_digit(h) for h in halves):
                device, officer = halves
            else:
                device = tokens[0]
        if not _has_digit(device):
            return None
        if officer and not _has_digit(officer):
            officer = ""
        found = Found(device_number=device, officer=officer, started_at=aware(started))
        sequence = _SEQUENCE.match(stem[match.end() :])
        if sequence:
            found.extra["sequence"] = sequence.group(1)
        if prefix:
            found.extra["name_prefix"] = "_".join(prefix)
        return found
    return None


@layout("gat947", priority=50)
def parse(source: Source) -> Found | None:
    return split_name(source.rel.name)
