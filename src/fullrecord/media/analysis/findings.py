"""What analysis learns about an original, before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..choices import MediaKind, ProbeStatus

PROBLEM_LIMIT = 300


@dataclass
class DerivedFile:
    kind: str
    absolute: Path
    relative: str
    content_type: str
    width: int | None = None
    height: int | None = None


@dataclass
class Findings:
    """What analysis learnt; nothing is written to the database until ``analysis._save``."""

    kind: str = MediaKind.OTHER
    status: str = ProbeStatus.UNPLAYABLE
    content_type: str = "application/octet-stream"
    problems: list[str] = field(default_factory=list)
    duration: float | None = None
    recorded_at: datetime | None = None
    width: int | None = None
    height: int | None = None
    video_codec: str = ""
    audio_codec: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    derived: dict[str, DerivedFile] = field(default_factory=dict)

    @property
    def problem(self) -> str:
        text = " ".join(dict.fromkeys(p for p in self.problems if p))
        return text if len(text) <= PROBLEM_LIMIT else text[: PROBLEM_LIMIT - 1] + "…"
