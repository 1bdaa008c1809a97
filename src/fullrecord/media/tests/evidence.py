"""Putting bytes into the evidence store the way users do, for tests of what comes after."""

from __future__ import annotations

from fullrecord.media.services import Hints, ingest_spooled
from fullrecord.media.spool import spool_chunks


def ingest_bytes(user, data: bytes, name: str = "clip.bin", **hints):
    spooled = spool_chunks([data])
    return ingest_spooled(
        spooled, actor=user, original_name=name, source="test", hints=Hints(**hints)
    )
