"""Opening originals with FFmpeg (PyAV), safely, and reading their packets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av

# Demuxers FFmpeg may use on an original. Anything else (image sequences, playlists,
# concat lists, subtitle files, raw elementary streams probed from noise) is refused:
# a playlist inside "evidence" must never make the server open other files or URLs.
AV_FORMATS = (
    "mov,mp4,m4a,3gp,3g2,mj2",
    "matroska,webm",
    "avi",
    "mpegts",
    "mpeg",
    "flv",
    "asf",
    "mp3",
    "wav",
    "w64",
    "ogg",
    "aac",
    "flac",
    "amr",
    "amrnb",
    "amrwb",
    "aiff",
    "caf",
    "au",
    "h264",
    "hevc",
    "dv",
    "mxf",
)

OPEN_OPTIONS = {"format_whitelist": ",".join(AV_FORMATS), "protocol_whitelist": "file"}


def open_media(path: Path):
    return av.open(str(path), "r", options=OPEN_OPTIONS, metadata_errors="replace")


def main_video(container):
    for stream in container.streams.video:
        if not stream.disposition & av.stream.Disposition.attached_pic:
            return stream
    return None


def codec_name(stream) -> str:
    name = stream.codec_context.name
    return {"mp3float": "mp3", "aac_fixed": "aac"}.get(name, name)


def display_size(video, rotation: int) -> tuple[int, int]:
    width, height = video.codec_context.width, video.codec_context.height
    ratio = video.codec_context.sample_aspect_ratio
    if ratio and ratio != 1 and ratio > 0:
        width = max(1, round(width * ratio))
    return (height, width) if rotation in (90, -90) else (width, height)


def in_seconds(value, time_base) -> float | None:
    if value is None or not time_base:
        return None
    return float(value * time_base)


def packets(container, *streams) -> Iterator:
    """Packets of ``streams`` until the end (then the empty ones that flush the decoders)
    or the first unreadable stretch, where a damaged file stops."""
    try:
        yield from container.demux(*streams)
    except (av.error.FFmpegError, OSError):
        return
