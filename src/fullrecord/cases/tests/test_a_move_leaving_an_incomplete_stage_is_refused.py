"""A move that leaves a stage lacking a required record is refused, naming what is missing
(第十一条, 第十八条第一项), and changes nothing; a move within the stage, back, or out by
an exit is not held up."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from fullrecord.cases import services
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import CaseTransition

from .helpers import attempt, ready_case, refusal

pytestmark = pytest.mark.django_db


def test_it_names_every_missing_record_of_the_stage_left(bureau, records):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    records.add(case, "investigation", "party", "身份证明")

    with override("zh-hans"):
        [message] = refusal(case, "submit_review", bureau.officer)

    assert "调查取证" in message and "第十一条" in message
    assert "询问笔录" in message and "现场录像" in message
    assert "身份证明" not in message  # present
    assert "鉴定意见" not in message  # optional


def test_the_refused_move_changes_nothing(bureau, records):
    case = ready_case(bureau, CaseState.INVESTIGATING)

    assert not attempt(case, "submit_review", bureau.officer)

    assert case.state == CaseState.INVESTIGATING
    assert not CaseTransition.objects.filter(case=case).exists()


def test_it_goes_once_the_records_are_there(bureau, records):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    records.complete(case, "investigation")

    services.do_transition(case, "submit_review", actor=bureau.officer)

    assert case.state == CaseState.LEGAL_REVIEW


def test_only_the_stage_left_counts_for_an_ordinary_move(bureau, records):
    case = ready_case(bureau, CaseState.INVESTIGATING)  # earlier stages lack records too
    records.complete(case, "investigation")

    assert attempt(case, "submit_review", bureau.officer)


def test_the_page_shows_the_missing_records_as_what_blocks_the_move(bureau, records, client):
    case = ready_case(bureau, CaseState.STOPPED)
    client.force_login(bureau.head)

    page = client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert 'data-testid="blockers-file"' in page
    assert "“制止”阶段缺少必需的记录" in page and "责令停止违法行为通知书" in page


@pytest.mark.parametrize(
    ("state", "move", "actor"),
    [
        (CaseState.LEGAL_REVIEW, "collective_discussion", "legal"),  # same stage
        (CaseState.LEGAL_REVIEW, "return_investigation", "legal"),  # back
        (CaseState.INVESTIGATING, "withdraw", "leader"),  # an exit
    ],
)
def test_moves_that_leave_no_stage_behind_are_not_held_up(bureau, records, state, move, actor):
    case = ready_case(bureau, state)

    assert attempt(case, move, getattr(bureau, actor), reason="理由")
