"""Station metadata beside the footage: per-file sidecars and per-folder manifests.

A sidecar is ``<file>.json`` or ``<file>.xml`` (also ``<stem>.json``/``.xml``)
next to the file; a manifest is ``manifest.json`` in the file's folder::

    {"device": "DSJ-A1", "officer": "C0001", "task": "XC-2026-031",
     "files": {"a.mp4": {"start": "2026-03-02 09:00:00"}}}

or ``"files": [{"file": "a.mp4", "start": …}, …]``, or just that list. Fields
at the top apply to every file of the folder, a file's own entry wins over
them, and a sidecar wins over the manifest. Keys are matched leniently
(see ``ALIASES``); JSON and XML may be UTF-8 or GB 18030 (many stations write
GBK). Sidecars are small: anything over ``MAX_BYTES`` or that is not a plain
file inside the tree is ignored with a warning.
"""

from __future__ import annotations

import json
import os
import re
import stat
import xml.etree.ElementTree as ET  # noqa: S405 - entities and DTDs are refused below
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import Found, Source, layout
from .values import parse_time

MAX_BYTES = 1024 * 1024
MANIFEST = "manifest.json"
SIDECAR_EXT = (".json", ".xml")


def _key(raw: str) -> str:
    return re.sub(r"[\s_\-.]+", "", str(raw)).casefold()


def _words(text: str) -> set[str]:
    return set(text.split())


# Keys as _key() leaves them: casefolded, without spaces, "_", "-" or ".".
ALIASES: dict[str, set[str]] = {
    "device_number": _words(
        "device devicenumber deviceno deviceid devicecode devicesn deviceserial dsj dsjid "
        "dsjno camera cameraid camerano recorderid serialno "
        "设备编号 设备号 设备序列号 记录仪编号 执法记录仪编号 设备"
    ),
    "officer": _words(
        "officer officercert officercertificate officerid officerno certificate "
        "certificatenumber certificateno certno cert policeno policenumber policeid "
        "policecode badge badgeno userid usercode userno user username "
        "执法证号 执法证编号 执法证 警号 执法人员 民警编号 用户编号"
    ),
    "started_at": _words(
        "start starttime startedat startat begin begintime recordtime recordedat "
        "recordingstart recordstarttime shoottime createtime creationtime datetime "
        "开始时间 录制时间 拍摄时间 录像开始时间"
    ),
    "task_reference": _words(
        "task taskreference taskref taskno tasknumber taskid taskcode patroltask "
        "任务 任务编号 任务号 巡查任务 巡查任务编号"
    ),
}
FILE_KEYS = _words("file filename name path 文件名 文件")
_LOOKUP = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


def _pairs(data: Any, parent: str = "") -> Iterator[tuple[str, Any]]:
    """Leaf (key, value) pairs; a nested key is offered as parent+key, then as itself."""
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _pairs(value, _key(key))
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            if parent:
                yield parent + _key(key), value
            yield _key(key), value


def fields(data: Any) -> Found:
    """The four fields from one mapping (first matching key wins)."""
    found = Found()
    for key, value in _pairs(data):
        name = _LOOKUP.get(key)
        if name is None or getattr(found, name):
            continue
        if name == "started_at":
            moment = parse_time(value)
            if moment is None:
                found.warnings.append(f"start time {str(value)[:40]!r} not understood")
                continue
            found.started_at = moment
        else:
            setattr(found, name, str(value))
    return found


def overlay(base: Found, top: Found) -> Found:
    """``top``'s fields over ``base``'s."""
    merged = Found(extra={**base.extra, **top.extra}, warnings=[*base.warnings, *top.warnings])
    for name in ALIASES:
        setattr(merged, name, getattr(top, name) or getattr(base, name))
    return merged


# --- reading files safely


def _read(path: Path, root: Path) -> bytes | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
        return None
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1)[:MAX_BYTES]
    except OSError:
        return None


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def load_json(data: bytes) -> Any:
    return json.loads(_text(data))


def load_xml(data: bytes) -> dict[str, str]:
    """The leaves and attributes of an XML document as one flat mapping."""
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise ValueError("XML with a DTD or entities is not read")
    try:
        tree = ET.fromstring(data)  # noqa: S314 - no DTD, no entities (checked above)
    except (ET.ParseError, ValueError):
        # A GBK document declared as such: expat cannot decode it, Python can.
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", _text(data))
        tree = ET.fromstring(text)  # noqa: S314
    flat: dict[str, str] = {}
    for element in tree.iter():
        tag = _key(element.tag.rsplit("}", 1)[-1])
        for attr, value in element.attrib.items():
            flat.setdefault(tag + _key(attr.rsplit("}", 1)[-1]), value)
            flat.setdefault(_key(attr.rsplit("}", 1)[-1]), value)
        if len(element) == 0 and element.text and element.text.strip():
            flat.setdefault(tag, element.text.strip())
    return flat


def _listing(source: Source, folder: Path) -> dict[str, str]:
    """File names of a folder by their casefolded form (cached for the run)."""
    key = ("listing", folder)
    if key not in source.cache:
        try:
            names = os.listdir(folder)
        except OSError:
            names = []
        source.cache[key] = {name.casefold(): name for name in names}
    return source.cache[key]


def is_sidecar(name: str, siblings: set[str]) -> bool:
    """Whether ``name`` describes another file of its folder (so is not ingested itself).

    ``siblings`` are the casefolded names of the folder. A lone ``.json`` or
    ``.xml`` beside nothing is a file like any other and is ingested.
    """
    folded = name.casefold()
    if folded == MANIFEST:
        return True
    if not folded.endswith(SIDECAR_EXT):
        return False
    base = folded.rsplit(".", 1)[0]
    if base in siblings and not base.endswith(SIDECAR_EXT):
        return True
    return any(
        other != folded and not other.endswith(SIDECAR_EXT) and other.rsplit(".", 1)[0] == base
        for other in siblings
    )


def _sidecar_names(name: str) -> list[str]:
    stem = name.rsplit(".", 1)[0] if "." in name.strip(".") else name
    names = [name + ext for ext in SIDECAR_EXT]
    if stem != name:
        names += [stem + ext for ext in SIDECAR_EXT]
    return names


@layout("sidecar", priority=90)
def parse_sidecar(source: Source) -> Found | None:
    folder = source.path.parent
    listing = _listing(source, folder)
    for candidate in _sidecar_names(source.rel.name):
        actual = listing.get(candidate.casefold())
        if actual is None or actual.casefold() == MANIFEST:
            continue
        data = _read(folder / actual, source.root)
        if data is None:
            return Found(warnings=[f"sidecar {actual} not read (not a small plain file)"])
        try:
            content = load_xml(data) if actual.casefold().endswith(".xml") else load_json(data)
        except (ValueError, ET.ParseError) as exc:
            return Found(warnings=[f"sidecar {actual} not understood: {exc}"])
        found = fields(content)
        found.extra["sidecar"] = actual
        return found
    return None


def _manifest(source: Source, folder: Path) -> tuple[Found, dict[str, Found]] | None:
    key = ("manifest", folder)
    if key in source.cache:
        return source.cache[key]
    result = None
    actual = _listing(source, folder).get(MANIFEST)
    if actual is not None:
        data = _read(folder / actual, source.root)
        try:
            content = load_json(data) if data is not None else None
        except ValueError as exc:
            content = None
            result = (Found(warnings=[f"{actual} not understood: {exc}"]), {})
        if content is not None:
            result = _manifest_entries(content)
    source.cache[key] = result
    return result


def _manifest_entries(content: Any) -> tuple[Found, dict[str, Found]]:
    common = fields(content) if isinstance(content, dict) else Found()
    listed = content.get("files", []) if isinstance(content, dict) else content
    per_file: dict[str, Found] = {}
    if isinstance(listed, dict):
        for name, entry in listed.items():
            per_file[str(name).casefold()] = fields(entry)
    elif isinstance(listed, list):
        for entry in listed:
            if not isinstance(entry, dict):
                continue
            name = next((str(v) for k, v in entry.items() if _key(k) in FILE_KEYS), "")
            if name:
                per_file[name.replace("\\", "/").rsplit("/", 1)[-1].casefold()] = fields(entry)
    return common, per_file


@layout("manifest", priority=80)
def parse_manifest(source: Source) -> Found | None:
    manifest = _manifest(source, source.path.parent)
    if manifest is None:
        return None
    common, per_file = manifest
    found = overlay(common, per_file.get(source.rel.name.casefold(), Found()))
    found.extra["manifest"] = "/".join([*source.folders, MANIFEST])
    return found
