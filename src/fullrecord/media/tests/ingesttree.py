"""Folders of footage as stations and cameras leave them, for the ingest tests."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import av
from django.core.management import CommandError, call_command
from django.utils import timezone

SHANGHAI = timezone.get_fixed_timezone(8 * 60)
T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=SHANGHAI)


def clip(path: Path, start: datetime = T0, seconds: float = 1.0) -> Path:
    """A real H.264 MP4, 64×48 at 10 fps, its creation_time at ``start`` (as cameras write it).

    Kept here rather than shared so the ingest tests depend on nothing but PyAV.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"}) as container:
        container.metadata["creation_time"] = start.astimezone(UTC).strftime(
            "%Y-%m-%dT%H:%M:%S.000000Z"
        )
        stream = container.add_stream("libx264", rate=10, options={"preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for index in range(max(1, round(seconds * 10))):
            frame = av.VideoFrame(64, 48, "yuv420p")
            for plane, value in zip(frame.planes, (16 + index * 8, 128, 128), strict=True):
                plane.update(bytes([value % 256]) * plane.buffer_size)
            frame.pts, frame.time_base = index, Fraction(1, 10)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def gat947_name(device: str, cert: str, start: datetime, seq: int, ext: str = "MP4") -> str:
    return f"{device}_{cert}_{start.astimezone(SHANGHAI):%Y%m%d%H%M%S}_{seq:04d}.{ext}"


def camera_card(root: Path, device="DSJ-A1", cert="C0001", offsets=(0, 1, 2)) -> list[Path]:
    """Segments a body camera wrote, named GA/T 947-style, ``offsets`` seconds after T0."""
    return [
        clip(
            root / gat947_name(device, cert, T0 + timedelta(seconds=s), n),
            T0 + timedelta(seconds=s),
        )
        for n, s in enumerate(offsets, 1)
    ]


def station_export(root: Path, *, task: str = "XC-2026-031") -> list[Path]:
    """采集站 tree: one day folder with a manifest, one file with its own XML sidecar."""
    day = root / "采集站01" / "DSJ-B7" / "20260302"
    files = [
        clip(day / "REC0001.MP4", T0 + timedelta(minutes=5)),
        clip(day / "REC0002.MP4", T0 + timedelta(minutes=5, seconds=1)),
    ]
    (day / "manifest.json").write_text(
        json.dumps(
            {
                "device": "DSJ-B7",
                "officer": "C0002",
                "task": task,
                "files": [
                    {"file": "REC0001.MP4", "start": "2026-03-02 09:05:00"},
                    {"file": "REC0002.MP4", "start": "2026-03-02 09:05:01"},
                ],
            }
        ),
        encoding="utf-8",
    )
    (day / "REC0002.MP4.xml").write_text(
        "<rec><StartTime>2026-03-02 09:05:01</StartTime><PoliceNo>C0002</PoliceNo></rec>",
        encoding="utf-8",
    )
    return files


def ingest(*args: str) -> tuple[str, CommandError | None]:
    """Run ``fullrecord ingest`` with ``args``; its output and the error it ended with."""
    out = io.StringIO()
    try:
        call_command("ingest", *map(str, args), stdout=out, stderr=io.StringIO())
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def counted(output: str, label: str) -> int:
    for line in output.splitlines():
        if line.startswith(f"{label}: "):
            return int(line.split(":", 1)[1].split()[0])
    raise AssertionError(f"no {label!r} line in:\n{output}")
