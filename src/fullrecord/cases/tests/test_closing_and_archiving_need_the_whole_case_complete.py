"""结案 and 归档 need every stage's required records present or explained, not only those
of the stage left (第十一条, 第十八条第一项)."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from fullrecord.cases import completeness
from fullrecord.cases.choices import CaseState

from .helpers import attempt, ready_case, refusal

pytestmark = pytest.mark.django_db

EARLIER = ("discovery", "stopping", "filing", "investigation")


def test_closing_is_refused_while_an_earlier_stage_lacks_a_record(bureau, records):
    case = ready_case(bureau, CaseState.ENFORCING)
    records.complete(case, "enforcement", "discovery", "stopping", "filing")

    with override("zh-hans"):
        [message] = refusal(case, "close", bureau.head)

    assert "案卷记录不全" in message
    assert "调查取证·询问笔录" in message and "调查取证·现场录像" in message


def test_closing_goes_when_the_rest_is_explained(bureau, records):
    case = ready_case(bureau, CaseState.ENFORCING)
    records.complete(case, "enforcement", *EARLIER)
    records.present.discard((case.pk, "investigation", "audiovisual", "footage"))
    completeness.refresh(case)
    assert not attempt(case, "close", bureau.head)

    completeness.record_exception(
        case,
        actor=bureau.leader,
        stage="investigation",
        kind="audiovisual",
        record="footage",
        reason="当事人拒绝配合，现场无法录像，已拍照并制作笔录",
    )

    assert attempt(case, "close", bureau.head)


def test_archiving_needs_the_closing_records_too(bureau, records):
    case = ready_case(bureau, CaseState.CLOSED)
    records.complete(case, *EARLIER, "enforcement")

    assert not attempt(case, "archive", bureau.archivist)

    records.add(case, "closing", "written", "结案呈批表")
    assert attempt(case, "archive", bureau.archivist)
