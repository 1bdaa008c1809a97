"""A few seconds of believable body-camera footage for the demo bureau, made with PyAV.

Three back-to-back segments and one after a gap (an interruption, 第九条第三项), a
site photo and an interview recording, ingested through the same services as real
uploads and analysed at once so the demo shows thumbnails without a worker.
"""

from __future__ import annotations

import math
import tempfile
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageDraw

from fullrecord.media import analysis, sessions
from fullrecord.media.models import MediaItem
from fullrecord.media.services import Hints, ingest_spooled, link_to_case
from fullrecord.media.spool import spool_file

FPS = 10
SIZE = (320, 180)


def _frame(label: str, index: int) -> Image.Image:
    image = Image.new("RGB", SIZE, (40 + index * 3 % 60, 90, 60))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, SIZE[1] - 40, SIZE[0], SIZE[1]), fill=(20, 20, 20))
    x = (index * 8) % SIZE[0]
    draw.ellipse((x, 50, x + 40, 90), fill=(220, 180, 60))
    draw.text((8, SIZE[1] - 32), f"{label}  {index / FPS:05.1f}s", fill=(255, 255, 255))
    return image


def make_clip(path: Path, label: str, seconds: float, start: datetime) -> Path:
    with av.open(str(path), "w", format="mp4") as container:
        # MP4 creation_time is UTC, as cameras write it.
        container.metadata["creation_time"] = start.astimezone(UTC).strftime(
            "%Y-%m-%dT%H:%M:%S.000000Z"
        )
        video = container.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = SIZE[0], SIZE[1], "yuv420p"
        audio = container.add_stream("aac", rate=16000)
        for index in range(int(seconds * FPS)):
            frame = av.VideoFrame.from_image(_frame(label, index))
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        samples = int(seconds * 16000)
        chunk = 1024
        for offset in range(0, samples, chunk):
            n = min(chunk, samples - offset)
            tone = bytes(
                int(127 + 60 * math.sin(2 * math.pi * 440 * (offset + i) / 16000)) & 0xFF
                for i in range(n)
            )
            frame = av.AudioFrame(format="u8", layout="mono", samples=n)
            frame.planes[0].update(tone)
            frame.sample_rate = 16000
            frame.pts, frame.time_base = offset, Fraction(1, 16000)
            container.mux(audio.encode(frame))
        container.mux(audio.encode(None))
    return path


def make_photo(path: Path, label: str) -> Path:
    image = Image.new("RGB", (640, 480), (120, 150, 90))
    draw = ImageDraw.Draw(image)
    draw.rectangle((200, 160, 460, 360), outline=(240, 240, 240), width=6)
    draw.text((20, 440), label, fill=(255, 255, 255))
    image.save(path, "JPEG", quality=85)
    return path


def _ingest(path: Path, actor, hints: Hints) -> MediaItem:
    with open(path, "rb") as handle:
        spooled = spool_file(handle)
    item = ingest_spooled(
        spooled, actor=actor, original_name=path.name, source="demo", hints=hints
    ).item
    analysis.analyse_item(item)
    item = MediaItem.objects.get(pk=item.pk)
    sessions.place_in_session(item)
    return MediaItem.objects.get(pk=item.pk)


def build(users: dict, cases: list) -> list[MediaItem]:
    officer = users["officer1"]
    start = (datetime.now().astimezone() - timedelta(days=20)).replace(microsecond=0)
    made = []
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        plan = [("DSJ-0107", 0), ("DSJ-0107", 3), ("DSJ-0107", 6), ("DSJ-0107", 40)]
        for n, (device, offset) in enumerate(plan, 1):
            at = start + timedelta(seconds=offset)
            name = f"{device}_{officer.certificate_number}_{at:%Y%m%d%H%M%S}_{n:04d}.mp4"
            clip = make_clip(folder / name, f"{device} #{n}", 3, at)
            made.append(
                _ingest(clip, officer, Hints(device_number=device, officer=officer, used_at=at))
            )
        photo = make_photo(folder / "现场照片.jpg", "site photo")
        made.append(_ingest(photo, officer, Hints(officer=officer, used_at=start)))
        stray = make_clip(
            folder / "DSJ-0112_unlinked.mp4", "DSJ-0112", 2, start + timedelta(days=2)
        )
        made.append(
            _ingest(
                stray,
                users["officer2"],
                Hints(
                    device_number="DSJ-0112",
                    officer=users["officer2"],
                    used_at=start + timedelta(days=2),
                ),
            )
        )
    target = cases[2]  # filed, under investigation soon
    for item in made[:5]:
        link_to_case(item, target, stage="discovery", actor=users["head1"])
    return made
