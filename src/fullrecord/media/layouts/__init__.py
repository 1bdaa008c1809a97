"""What a folder of footage says about each file: device, officer, start time, task.

``fullrecord ingest`` walks a tree and asks this package, for each file, what
its path and any metadata beside it tell. Each *layout* is a small parser
registered with :func:`layout`; every layout that recognises a file
contributes, and for each field the layout of highest priority wins (a station's
metadata beats the file name, which beats a folder name). Disagreements are
kept as warnings. A file no layout recognises is still taken in, with empty
hints: evidence is never refused.

Layouts accepted (see docs/ingest.md for examples):

``metadata`` (priority 90/80) — station metadata beside the files, in any folder:
    a per-file sidecar ``<file>.json`` / ``<file>.xml`` (or ``<stem>.json`` /
    ``<stem>.xml``), and a per-folder ``manifest.json`` whose top-level fields
    apply to every file of the folder and whose ``files`` entries (a mapping by
    file name, or a list of objects with ``file``/``name``) apply to one file.
    Keys are matched leniently (case, ``_``/``-``/spaces ignored; English or
    Chinese): device ``device``/``device_number``/``deviceId``/``设备编号``…,
    officer ``officer``/``certificate``/``police_no``/``执法证号``/``警号``…, start
    ``start``/``start_time``/``begin_time``/``开始时间``…, task
    ``task``/``task_reference``/``task_no``/``任务编号``…

``gat947`` (priority 50) — the GA/T 947-style body-camera file name
    ``<设备编号>_<执法证号>_<YYYYMMDDHHMMSS>_<序号>.<ext>``, e.g.
    ``DSJ-A1_C0001_20260302090000_0001.MP4``. Separators may be ``_``, ``-``,
    ``.``, ``#`` or spaces; the time may be written ``YYYYMMDD_HHMMSS``; the
    officer and the sequence number may be missing; case is ignored.

``station`` (priority 40) — a docking-station (采集站) export tree
    ``<station>/<device>/<YYYYMMDD>/<file>``: the device from the folder above
    the date folder, the station kept as a note.

``plain`` (priority 10) — ``<device>/<officer-cert>/<file>``, exactly two
    folders deep under the ingest root, both names holding a digit.

The officer is named by certificate number (执法证号) or user name; one that
matches nobody is kept as raw text in ``Hints.extra`` and reported. Times
without a zone are read in ``settings.TIME_ZONE`` (Asia/Shanghai).

Adding a station vendor is one module: write a function taking a
:class:`Source` and returning :class:`Found` (or None), decorate it with
``@layout("vendor", priority=…)``, and list the module in ``BUILTIN`` below or
in the ``FULLRECORD_INGEST_LAYOUTS`` setting (dotted module paths).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings

from fullrecord.accounts.models import User
from fullrecord.media.services import Hints

from .values import clean_device, clean_text

BUILTIN = [
    "fullrecord.media.layouts.metadata",
    "fullrecord.media.layouts.gat947",
    "fullrecord.media.layouts.station",
    "fullrecord.media.layouts.plain",
]

FIELDS = ("device_number", "officer", "started_at", "task_reference")


@dataclass
class Found:
    """What one layout read about one file; empty fields say nothing."""

    device_number: str = ""
    officer: str = ""  # 执法证号 or user name, as the source wrote it
    started_at: datetime | None = None
    task_reference: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """One file under the ingest root, with a per-run cache for folder metadata."""

    root: Path
    rel: PurePosixPath
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def path(self) -> Path:
        return self.root.joinpath(*self.rel.parts)

    @property
    def folders(self) -> tuple[str, ...]:
        return self.rel.parts[:-1]


@dataclass(frozen=True)
class Layout:
    name: str
    priority: int
    parse: Callable[[Source], Found | None]


_REGISTRY: dict[str, Layout] = {}


def layout(name: str, *, priority: int) -> Callable:
    """Register a parser; a later registration under the same name replaces it."""

    def register(func: Callable[[Source], Found | None]) -> Callable[[Source], Found | None]:
        _REGISTRY[name] = Layout(name, priority, func)
        return func

    return register


def layouts() -> list[Layout]:
    for module in [*BUILTIN, *getattr(settings, "FULLRECORD_INGEST_LAYOUTS", [])]:
        importlib.import_module(module)
    return sorted(_REGISTRY.values(), key=lambda lay: (-lay.priority, lay.name))


@dataclass
class Parsed:
    """Every layout's findings merged: the highest priority wins each field."""

    device_number: str = ""
    officer: str = ""
    started_at: datetime | None = None
    task_reference: str = ""
    layouts: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def parse(source: Source) -> Parsed:
    parsed = Parsed()
    origin: dict[str, str] = {}
    for lay in layouts():
        try:
            found = lay.parse(source)
        except Exception as exc:  # noqa: BLE001 - a broken parser must not stop an ingest
            parsed.warnings.append(f"layout {lay.name} failed: {exc.__class__.__name__}: {exc}")
            continue
        if found is None:
            continue
        parsed.layouts.append(lay.name)
        parsed.warnings.extend(found.warnings)
        for key, value in found.extra.items():
            parsed.extra.setdefault(key, clean_text(str(value), 200))
        found.device_number = clean_device(found.device_number)
        found.officer = clean_text(found.officer, 50)
        found.task_reference = clean_text(found.task_reference, 100)
        for name in FIELDS:
            value = getattr(found, name)
            if not value:
                continue
            mine = getattr(parsed, name)
            if not mine:
                setattr(parsed, name, value)
                origin[name] = lay.name
            elif _differs(mine, value):
                parsed.warnings.append(
                    f"{name}: {lay.name} says {value}, {origin[name]} says {mine}; "
                    f"kept {origin[name]}"
                )
    return parsed


def _differs(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() != b.casefold()
    return a != b


@dataclass
class Resolved:
    hints: Hints
    parsed: Parsed
    warnings: list[str]


class Resolver:
    """Turns paths under one root into Hints, caching folder metadata and officer look-ups."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.cache: dict[Any, Any] = {}
        self._officers: dict[str, User | None] = {}

    def source(self, rel: PurePosixPath | str) -> Source:
        return Source(self.root, PurePosixPath(rel), self.cache)

    def officer(self, raw: str) -> User | None:
        if raw not in self._officers:
            self._officers[raw] = find_officer(raw)
        return self._officers[raw]

    def resolve(self, rel: PurePosixPath | str) -> Resolved:
        parsed = parse(self.source(rel))
        warnings = list(parsed.warnings)
        extra: dict[str, Any] = dict(parsed.extra)
        if parsed.layouts:
            extra["layout"] = "+".join(parsed.layouts)
        officer = None
        if parsed.officer:
            officer = self.officer(parsed.officer)
            if officer is None:
                extra["officer_raw"] = parsed.officer
                warnings.append(f"officer {parsed.officer} is nobody known here; left empty")
        hints = Hints(
            device_number=parsed.device_number,
            officer=officer,
            used_at=parsed.started_at,
            task_reference=parsed.task_reference,
            extra=extra,
        )
        return Resolved(hints, parsed, warnings)


def find_officer(raw: str) -> User | None:
    """An active person by 执法证号 first, else by user name (both ignoring case)."""
    raw = raw.strip()
    if not raw:
        return None
    people = User.objects.filter(is_active=True)
    return (
        people.filter(certificate_number__iexact=raw).first()
        or people.filter(username__iexact=raw).first()
    )
