"""The playable copy: H.264/AAC in MP4 with the index at the front, at most 720p."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av

from .. import derived
from ..choices import DerivativeKind
from ..models import MediaItem
from .containers import display_size, main_video, open_media, packets
from .findings import DerivedFile
from .pictures import replacing

log = logging.getLogger(__name__)

PROXY_BOX = (1280, 720)  # long side, short side: "720p" whichever way the camera was held


def make_proxy(
    item: MediaItem, path: Path, *, with_video: bool, with_audio: bool, rotation: int = 0
) -> tuple[DerivedFile, float | None] | None:
    """Transcode to H.264/AAC in MP4 (AAC in MP4 for sound alone), index at the front.

    Returns None when nothing could be encoded.
    """
    ext, content_type = ("mp4", "video/mp4") if with_video else ("m4a", "audio/mp4")
    absolute, relative = derived.path_for(item, DerivativeKind.PROXY, ext)
    try:
        with replacing(absolute) as temp:
            size = _transcode(
                path, temp, with_video=with_video, with_audio=with_audio, rotation=rotation
            )
            check = _check_proxy(temp)
            if check is None:
                raise ValueError("the copy does not decode")
    except Exception:
        log.warning("could not make a playable copy of media item %s", item.pk, exc_info=True)
        return None
    width, height = size if with_video else (None, None)
    return DerivedFile(DerivativeKind.PROXY, absolute, relative, content_type, width, height), check


def _transcode(
    source: Path, target: Path, *, with_video: bool, with_audio: bool, rotation: int
) -> tuple[int, int]:
    with (
        open_media(source) as src,
        av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as dst,
    ):
        vin = main_video(src) if with_video else None
        ain = src.streams.audio[0] if with_audio and src.streams.audio else None
        origin = (src.start_time or 0) / av.time_base
        vout = aout = None
        size = (0, 0)
        turn = None
        if vin is not None:
            vin.thread_type = "AUTO"
            width, height = display_size(vin, rotation)
            size = _fit(width, height)
            rate = vin.average_rate or vin.guessed_rate
            if not rate or not 1 <= rate <= 240:  # absent, or a container's clock, not a rate
                rate = Fraction(25)
            vout = dst.add_stream("libx264", rate=rate, options={"preset": "veryfast", "crf": "23"})
            vout.width, vout.height = size
            vout.pix_fmt = "yuv420p"
            vout.codec_context.time_base = vin.time_base
            turn = _rotator(vin, rotation) if rotation else None
        if ain is not None:
            channels = ain.codec_context.channels or 1
            aout = dst.add_stream(
                "aac", rate=48000 if ain.codec_context.sample_rate != 44100 else 44100
            )
            aout.codec_context.layout = "stereo" if channels >= 2 else "mono"
            aout.codec_context.bit_rate = 128_000
        streams = [s for s in (vin, ain) if s is not None]
        last_video_pts = None
        for packet in packets(src, *streams):
            try:
                frames = packet.decode()
            except av.error.FFmpegError:
                continue
            for frame in frames:
                if vin is not None and packet.stream.index == vin.index:
                    for ready in _turned(turn, frame):
                        last_video_pts = _encode_video(
                            dst, vout, vin, ready, origin, size, last_video_pts
                        )
                else:
                    _encode_audio(dst, aout, ain, frame, origin)
        if vout is not None:
            for out in vout.encode(None):
                dst.mux(out)
        if aout is not None:
            for out in aout.encode(None):
                dst.mux(out)
    return size


def _fit(width: int, height: int) -> tuple[int, int]:
    """Fit inside 1280×720 (720×1280 upright), never enlarged, even sides for 4:2:0."""
    long_side, short_side = PROXY_BOX
    box = (long_side, short_side) if width >= height else (short_side, long_side)
    scale = min(1.0, box[0] / width, box[1] / height)
    return (max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2))


# Filters that undo a display rotation (FFmpeg states it counter-clockwise, in degrees).
TURNS = {
    90: [("transpose", "cclock")],
    -90: [("transpose", "clock")],
    180: [("hflip", None), ("vflip", None)],
    -180: [("hflip", None), ("vflip", None)],
}


def _rotator(stream, rotation: int):
    """A filter graph that turns the pictures upright, so no player has to."""
    graph = av.filter.Graph()
    previous = graph.add_buffer(template=stream)
    for name, args in TURNS[rotation]:
        node = graph.add(name, args)
        previous.link_to(node)
        previous = node
    previous.link_to(graph.add("buffersink"))
    graph.configure()
    return graph


def _turned(graph, frame) -> Iterator:
    if graph is None:
        yield frame
        return
    graph.push(frame)
    while True:
        try:
            yield graph.pull()
        except (BlockingIOError, av.error.BlockingIOError, av.error.EOFError):
            return


def _encode_video(dst, vout, vin, frame, origin, size, last_pts):
    time_base = vin.time_base
    if frame.pts is None:
        pts = 0 if last_pts is None else last_pts + 1
    else:
        pts = frame.pts - int(round(origin / time_base))
    if last_pts is not None and pts <= last_pts:
        return last_pts  # a repeated or out-of-order timestamp would stop the encoder
    picture = frame.reformat(width=size[0], height=size[1], format="yuv420p")
    picture.pts = max(0, pts)
    picture.time_base = time_base
    for out in vout.encode(picture):
        dst.mux(out)
    return picture.pts


def _encode_audio(dst, aout, ain, frame, origin) -> None:
    # Timestamps in samples: the encoder's resampler expects them so, whatever the
    # container counted in (AVI counts MP3 frames).
    if frame.pts is not None:
        seconds = float(frame.pts * ain.time_base) - origin
        frame.pts = max(0, round(seconds * frame.sample_rate))
        frame.time_base = Fraction(1, frame.sample_rate)
    for out in aout.encode(frame):
        dst.mux(out)


def _check_proxy(path: Path) -> float | None:
    """The copy's duration when it decodes (None when it does not)."""
    with av.open(str(path)) as copy:
        stream = main_video(copy) or (copy.streams.audio[0] if copy.streams.audio else None)
        if stream is None:
            return None
        for packet in copy.demux(stream):
            if packet.decode():
                break
        else:
            return None
        return copy.duration / av.time_base if copy.duration else None
