"""The demo bureau's footage at each stage a move leaves (第九条, 第十一条).

Before the demo walk moves a case out of a stage that requires footage, a site
photo is taken (made with Pillow), ingested and linked at that stage, as an
officer would. One case shows the other road: at its investigation the camera
failed, and the leader in charge records why (缺失说明) instead.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, time
from pathlib import Path

from django.utils import timezone

from fullrecord.cases import completeness
from fullrecord.cases.choices import RecordKind, Stage
from fullrecord.core.demo import before_move

from .completeness import CODE

# The demo case (by the serial of its number) whose investigation footage is missing
# and explained rather than linked.
EXCEPTED_CASE_SERIAL = "0005"
EXCEPTION_REASON = "执法记录仪 DSJ-0107 存储卡故障，现场未能录像；已当场报告并以询问笔录、现场勘验笔录记录（第九条第六项）。"


@before_move
def footage_before_leaving_a_stage(case, move_name, *, users, day, actor) -> None:
    from fullrecord.core.demo_media import _ingest, make_photo

    from .services import Hints, link_to_case

    wanted = [
        cell
        for cell in completeness.blocking(case, move_name)
        if cell.entry.kind == RecordKind.AUDIOVISUAL and cell.entry.key == CODE
    ]
    if not wanted:
        return
    lead = case.assignments.select_related("officer").filter(is_lead=True).first()
    officer = lead.officer if lead else actor
    for cell in wanted:
        stage = cell.entry.stage
        if stage == Stage.INVESTIGATION and case.number.endswith(EXCEPTED_CASE_SERIAL):
            completeness.record_exception(
                case,
                actor=users["leader"],
                stage=stage,
                kind=RecordKind.AUDIOVISUAL,
                record=CODE,
                reason=EXCEPTION_REASON,
            )
            continue
        at = timezone.make_aware(datetime.combine(day, time(10, 0)))
        with tempfile.TemporaryDirectory() as work:
            label = f"{case.number} {stage}"  # the bitmap font draws ASCII only
            photo = make_photo(Path(work) / f"{case.number}_{stage}.jpg", label)
            item = _ingest(photo, officer, Hints(officer=officer, used_at=at))
        link_to_case(item, case, stage=stage, actor=officer, note="现场照片")
