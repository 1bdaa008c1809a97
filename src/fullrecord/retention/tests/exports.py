"""A case with evidence and an approved export request, for the export tests."""

from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

from fullrecord.access import services as access_services

from .helpers import case_of, footage, link

LONG_NAME = "清河县王官庄镇南李庄村违法占用耕地建设厂房现场执法记录仪视频第一段含当事人陈述与现场勘验全过程记录.mp4"


def case_with_evidence(bureau, *, sizes=(300_000, 70_000)):
    case = case_of(bureau)
    names = [LONG_NAME, "现场照片.jpg", "询问录音.m4a"]
    items = []
    for n, size in enumerate(sizes):
        item = footage(bureau.officer, name=names[n % len(names)], size=size)
        link(item, case, bureau.officer)
        items.append(item)
    return case, items


def approved_export(bureau, case):
    request = access_services.file_request(
        requester=bureau.archivist, reason="移交人民法院", purpose="export", case=case
    )
    return access_services.decide(request, actor=bureau.leader, approve=True)


@contextmanager
def mounted(path: Path, options: str):
    """A real small or read-only filesystem (tmpfs) at ``path``."""
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def can_mount() -> bool:
    return os.geteuid() == 0
