"""A docking-station (采集站) export tree: ``<station>/<device>/<YYYYMMDD>/<file>``.

The device number is the folder above the day folder; the station, when there
is a folder above that, is kept as a note. The day alone is not a recording
time (the file name or metadata gives that); it is kept as a note too.
"""

from __future__ import annotations

from . import Found, Source, layout
from .values import parse_day


@layout("station", priority=40)
def parse(source: Source) -> Found | None:
    folders = source.folders
    if len(folders) < 2:
        return None
    day = parse_day(folders[-1])
    if day is None:
        return None
    found = Found(device_number=folders[-2])
    found.extra["station_day"] = day.isoformat()
    if len(folders) >= 3:
        found.extra["station"] = folders[-3]
    return found
