"""Real media made on the spot with PyAV and Pillow, for tests of every app.

Each ``make_*`` writes one small file (a second or two, postage-stamp frames)
and returns its path, so tests stay fast while FFmpeg and the browser see the
real thing. Nothing here is mocked: an H.264 file is H.264.

    make_video(tmp_path / "clip.mp4", seconds=2, start=datetime(...), location="+39.9+116.4/")
    make_video(tmp_path / "old.avi", codec="mpeg4", audio="mp3")   # needs a playable copy
    make_audio(tmp_path / "note.wav")
    make_photo(tmp_path / "scene.jpg", taken=datetime(...), gps=(39.9, 116.4))
    make_truncated_video(tmp_path / "cut.mp4")
    ingest_file(path, actor=bureau.officer)                       # -> MediaItem

The picture is blue for the first second and red after it, with a white bar
moving across, so a test can tell which moment a poster frame shows.
"""

from __future__ import annotations

import math
import random
import struct
from array import array
from datetime import UTC, datetime
from fractions import Fraction
from io import BytesIO
from pathlib import Path

import av
from PIL import Image, ImageDraw

BLUE = (20, 40, 220)
RED = (220, 30, 30)

# container, by file suffix
FORMATS = {
    ".mp4": "mp4",
    ".m4v": "mp4",
    ".mov": "mov",
    ".avi": "avi",
    ".mkv": "matroska",
    ".webm": "webm",
    ".ts": "mpegts",
    ".mp3": "mp3",
    ".wav": "wav",
    ".m4a": "ipod",
    ".aac": "adts",
    ".ogg": "ogg",
    ".opus": "ogg",
    ".flac": "flac",
}
ENCODERS = {
    "h264": "libx264",
    "vp9": "libvpx-vp9",
    "vp8": "libvpx",
    "mpeg4": "mpeg4",
    "mjpeg": "mjpeg",
    "aac": "aac",
    "mp3": "libmp3lame",
    "opus": "libopus",
    "vorbis": "vorbis",
    "pcm_s16le": "pcm_s16le",
    "flac": "flac",
}
AUDIO_FOR_SUFFIX = {
    ".wav": "pcm_s16le",
    ".mp3": "mp3",
    ".m4a": "aac",
    ".aac": "aac",
    ".ogg": "opus",
    ".opus": "opus",
    ".flac": "flac",
    ".webm": "opus",
    ".mkv": "aac",
}


def frame_image(index: int, fps: float, size: tuple[int, int]) -> Image.Image:
    """Blue before one second, red from then on, with a bar that moves every frame and
    a white block in the top left corner (to tell which way is up)."""
    width, height = size
    image = Image.new("RGB", size, BLUE if index / fps < 1.0 else RED)
    draw = ImageDraw.Draw(image)
    x = (index * 7) % max(width - 8, 1)
    draw.rectangle([x, height // 2, x + 7, height - 1], fill=(255, 255, 255))
    draw.rectangle([0, 0, width // 4, height // 4], fill=(255, 255, 255))
    return image


def tone(samples: int, *, rate: int, start: int = 0, hz: float = 440.0) -> bytes:
    """Mono signed 16-bit samples of a sine tone."""
    return array(
        "h",
        (int(9000 * math.sin(2 * math.pi * hz * (start + n) / rate)) for n in range(samples)),
    ).tobytes()


def _container(path: Path, fmt: str | None, options: dict[str, str]):
    fmt = fmt or FORMATS.get(path.suffix.lower(), "mp4")
    return av.open(str(path), "w", format=fmt, options=options), fmt


def _write_audio(container, stream, seconds: float) -> None:
    rate = stream.codec_context.sample_rate
    frame_size = stream.codec_context.frame_size or 1024
    total = int(seconds * rate)
    done = 0
    while done < total:
        count = min(frame_size, total - done)
        frame = av.AudioFrame(format="s16", layout="mono", samples=count)
        frame.planes[0].update(tone(count, rate=rate, start=done))
        frame.sample_rate = rate
        frame.pts = done
        frame.time_base = Fraction(1, rate)
        for packet in stream.encode(frame):
            container.mux(packet)
        done += count
    for packet in stream.encode(None):
        container.mux(packet)


def _metadata(container, start: datetime | None, location: str | None, fmt: str) -> None:
    if start is not None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        stamp = start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        container.metadata["creation_time"] = stamp
        if fmt in ("matroska", "webm"):
            container.metadata["DATE_RECORDED"] = stamp
    if location is not None:
        container.metadata["location"] = location
        container.metadata["com.apple.quicktime.location.ISO6709"] = location


def make_video(
    path: Path,
    *,
    seconds: float = 1.5,
    size: tuple[int, int] = (160, 120),
    fps: int = 10,
    codec: str = "h264",
    audio: str | None = "aac",
    start: datetime | None = None,
    location: str | None = None,
    faststart: bool = True,
    fmt: str | None = None,
    rotation: int = 0,
) -> Path:
    """A short video; the container follows the suffix (.mp4, .mov, .avi, .mkv, .webm, .ts).

    ``start`` is written as the container's ``creation_time`` (what cameras do),
    ``location`` as the QuickTime ISO 6709 tags, e.g. ``"+39.9042+116.4074+044.000/"``.
    ``faststart=False`` leaves the MP4 index at the end, as most cameras write it.
    ``rotation`` (MP4/MOV only) is how far clockwise a player must turn the stored
    picture, as a phone held upright records it (90).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    options: dict[str, str] = {}
    suffix_fmt = fmt or FORMATS.get(path.suffix.lower(), "mp4")
    if suffix_fmt in ("mp4", "mov"):
        flags = ["use_metadata_tags"] if location else []
        if faststart:
            flags.append("faststart")
        if flags:
            options["movflags"] = "+".join(flags)
    container, fmt = _container(path, fmt, options)
    _metadata(container, start, location, fmt)
    encoder_options = {"preset": "ultrafast"} if codec == "h264" else {}
    if codec in ("vp8", "vp9"):
        encoder_options = {"deadline": "realtime", "cpu-used": "8"}
    video = container.add_stream(ENCODERS[codec], rate=fps, options=encoder_options)
    video.width, video.height = size
    video.pix_fmt = "yuvj420p" if codec == "mjpeg" else "yuv420p"
    sound = None
    if audio is not None:
        sound = container.add_stream(ENCODERS[audio], rate=48000 if audio != "mp3" else 44100)
        sound.codec_context.layout = "mono"
    frames = max(1, round(seconds * fps))
    for index in range(frames):
        frame = av.VideoFrame.from_image(frame_image(index, fps, size))
        frame.pts = index
        frame.time_base = Fraction(1, fps)
        for packet in video.encode(frame):
            container.mux(packet)
    for packet in video.encode(None):
        container.mux(packet)
    if sound is not None:
        _write_audio(container, sound, seconds)
    container.close()
    if rotation:
        _set_rotation(path, rotation)
    return path


def _set_rotation(path: Path, clockwise: int) -> None:
    """Write the display matrix of the first (video) track, as phones do."""
    one = 0x10000
    a, b, c, d = {90: (0, one, -one, 0), 180: (-one, 0, 0, -one), 270: (0, -one, one, 0)}[
        clockwise % 360
    ]
    data = bytearray(path.read_bytes())
    box = data.find(b"tkhd")
    version = data[box + 4]
    # tkhd: version/flags, times and ids (20 or 32 bytes), reserved, layer, group, volume
    matrix = box + 4 + 4 + (32 if version == 1 else 20) + 8 + 8
    struct.pack_into(">9i", data, matrix, a, b, 0, c, d, 0, 0, 0, 0x40000000)
    path.write_bytes(bytes(data))


def make_audio(
    path: Path,
    *,
    seconds: float = 1.0,
    codec: str | None = None,
    rate: int | None = None,
    start: datetime | None = None,
    fmt: str | None = None,
) -> Path:
    """A sine tone; the codec follows the suffix (.wav PCM, .mp3, .m4a/.aac AAC, .ogg Opus)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    codec = codec or AUDIO_FOR_SUFFIX.get(path.suffix.lower(), "aac")
    container, fmt = _container(path, fmt, {})
    _metadata(container, start, None, fmt)
    if rate is None:
        rate = 44100 if codec == "mp3" else 48000
    stream = container.add_stream(ENCODERS[codec], rate=rate)
    stream.codec_context.layout = "mono"
    _write_audio(container, stream, seconds)
    container.close()
    return path


def make_photo(
    path: Path,
    *,
    size: tuple[int, int] = (64, 48),
    taken: datetime | None = None,
    gps: tuple[float, float] | None = None,
    orientation: int | None = None,
    color: tuple[int, int, int] = BLUE,
) -> Path:
    """A JPEG (or whatever the suffix says) with EXIF as a camera writes it.

    ``taken`` becomes DateTimeOriginal, and OffsetTimeOriginal when it has a zone;
    ``gps`` the GPS IFD in degrees/minutes/seconds; ``orientation`` the EXIF tag
    (6 = the camera was turned a quarter clockwise). The top-left quarter is white,
    so a test can see whether the orientation was applied.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).rectangle([0, 0, size[0] // 2 - 1, size[1] // 2 - 1], fill="white")
    exif = Image.Exif()
    exif[0x010F] = "FullRecord"  # Make
    exif[0x0110] = "DSJ-Test"  # Model
    if orientation is not None:
        exif[0x0112] = orientation
    if taken is not None:
        details = exif.get_ifd(0x8769)
        details[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
        if taken.utcoffset() is not None:
            offset = taken.strftime("%z")
            details[0x9011] = f"{offset[:3]}:{offset[3:]}"  # OffsetTimeOriginal
    if gps is not None:
        lat, lon = gps
        exif[0x8825] = {
            1: "N" if lat >= 0 else "S",
            2: _dms(abs(lat)),
            3: "E" if lon >= 0 else "W",
            4: _dms(abs(lon)),
        }
    save_format = "JPEG" if path.suffix.lower() in (".jpg", ".jpeg", "") else None
    image.save(path, format=save_format, exif=exif, quality=90)
    return path


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    seconds = round((minutes_full - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def make_truncated_video(path: Path, *, keep: float = 0.5, faststart: bool = False) -> Path:
    """An MP4 cut short, as when a camera loses power or a copy is interrupted.

    With the index at the end (``faststart=False``, as cameras write) nothing can be
    decoded; with it at the front the first part still plays.
    """
    path = Path(path)
    whole = make_video(path.with_name(path.stem + "-whole.mp4"), seconds=2, faststart=faststart)
    data = whole.read_bytes()
    whole.unlink()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def make_random_bytes(path: Path, *, size: int = 16 * 1024, seed: int = 3) -> Path:
    """Bytes that are no format at all (the same ones for the same seed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def make_empty_file(path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


def make_corrupt_jpeg(path: Path, *, how: str = "garbled") -> Path:
    """A JPEG that does not decode whole: ``garbled`` keeps the start marker and nothing
    else of a picture; ``truncated`` cuts a real photo short (its top still shows)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if how == "garbled":
        path.write_bytes(b"\xff\xd8" + random.Random(7).randbytes(2048))
        return path
    if how != "truncated":
        raise ValueError(f"how={how!r}: use garbled or truncated")
    image = Image.new("RGB", (160, 120))
    image.putdata(
        [((x * 3) % 256, (y * 5) % 256, (x * y) % 256) for y in range(120) for x in range(160)]
    )
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) // 2])
    return path


def ingest_file(path: Path, *, actor, name: str | None = None, **kwargs):
    """Take ``path`` in as evidence the way an upload does; returns the MediaItem."""
    from fullrecord.media.services import ingest_spooled
    from fullrecord.media.spool import spool_file

    with open(path, "rb") as handle:
        spooled = spool_file(handle)
    result = ingest_spooled(
        spooled,
        actor=actor,
        original_name=name or Path(path).name,
        source=kwargs.pop("source", "test"),
        **kwargs,
    )
    return result.item
