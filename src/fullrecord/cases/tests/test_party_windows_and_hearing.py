"""处理决定: the party's 陈述申辩 and hearing-request windows, and the hearing date.

《行政处罚法》第四十四条、第四十五条、第六十四条, counted in working days (第八十五条).
Notified on Tuesday 2026-09-29, the five working days run across the National Day
holiday and the make-up Saturday 2026-10-10, and end on Monday 2026-10-12.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils.translation import gettext as _

from fullrecord.cases.choices import CaseState, LimitKind
from fullrecord.cases.models import CaseDeadline
from fullrecord.cases.services import do_transition

from .helpers import attempt, ready_case, refusal

# About the case workflow itself, not the written records other apps require of its moves.
pytestmark = pytest.mark.usefixtures("without_record_requirements")


NOTIFIED_ON = date(2026, 9, 29)
WINDOWS_END = date(2026, 10, 12)


@pytest.fixture
def notified(bureau):
    case = ready_case(bureau, CaseState.LEGAL_REVIEW)
    do_transition(case, "notify", actor=bureau.legal, today=NOTIFIED_ON)
    return case


def test_notifying_the_party_opens_both_windows(notified):
    windows = CaseDeadline.objects.filter(case=notified, kind=LimitKind.WINDOW)

    assert sorted(w.rule.code for w in windows) == ["hearing_request_window", "statement_window"]
    assert {w.due_on for w in windows} == {WINDOWS_END}


def test_it_refuses_the_decision_while_the_windows_are_open(bureau, notified):
    for today in (date(2026, 9, 30), date(2026, 10, 8), WINDOWS_END):
        messages = refusal(notified, "decide", bureau.leader, today=today)
        assert any(WINDOWS_END.isoformat() in m for m in messages), messages


def test_it_allows_the_decision_once_the_windows_have_ended(bureau, notified):
    assert attempt(notified, "decide", bureau.leader, today=date(2026, 10, 13))


def test_the_hearing_date_is_required(bureau, notified):
    messages = refusal(notified, "request_hearing", bureau.officer, today=date(2026, 9, 30))

    assert messages == [_("Give the hearing date.")]


def test_it_refuses_a_hearing_date_that_is_not_a_date(bureau, notified):
    messages = refusal(
        notified,
        "request_hearing",
        bureau.officer,
        today=date(2026, 9, 30),
        data={"hearing_date": "2026-13-01"},
    )

    assert messages == [_("The hearing date is not a valid date (use YYYY-MM-DD).")]


def test_the_party_is_told_seven_working_days_before_the_hearing(bureau, notified):
    # Asked on 2026-09-30: Oct 8, 9, 10 (make-up day), 12, 13, 14, 15.
    asked_on = date(2026, 9, 30)

    messages = refusal(
        notified,
        "request_hearing",
        bureau.officer,
        today=asked_on,
        data={"hearing_date": date(2026, 10, 14)},
    )

    assert any("2026-10-15" in m for m in messages), messages
    assert attempt(
        notified,
        "request_hearing",
        bureau.officer,
        today=asked_on,
        data={"hearing_date": "2026-10-15"},
    )


def test_it_refuses_a_hearing_requested_after_the_window(bureau, notified):
    messages = refusal(
        notified,
        "request_hearing",
        bureau.officer,
        today=date(2026, 10, 13),
        data={"hearing_date": date(2026, 11, 30)},
    )

    assert any(WINDOWS_END.isoformat() in m for m in messages), messages


def test_the_decision_waits_for_the_hearing(bureau, notified):
    do_transition(
        notified,
        "request_hearing",
        actor=bureau.officer,
        today=date(2026, 10, 9),
        data={"hearing_date": date(2026, 10, 26)},
    )
    notice = CaseDeadline.objects.get(case=notified, kind=LimitKind.NOTICE)
    assert notice.due_on == date(2026, 10, 26)

    messages = refusal(notified, "decide", bureau.leader, today=date(2026, 10, 23))

    assert any("2026-10-26" in m for m in messages), messages
    assert attempt(notified, "decide", bureau.leader, today=date(2026, 10, 26))


def test_the_hearing_date_is_kept_on_the_transition(bureau, notified):
    step = do_transition(
        notified,
        "request_hearing",
        actor=bureau.officer,
        today=date(2026, 9, 30),
        data={"hearing_date": date(2026, 10, 20)},
    )

    assert step.data == {"hearing_date": "2026-10-20"}


def test_it_ignores_inputs_a_move_does_not_ask_for(bureau):
    case = ready_case(bureau, CaseState.DECIDED)

    step = do_transition(
        case, "serve", actor=bureau.officer, data={"hearing_date": "not even a date"}
    )

    assert step.data == {}
    assert not CaseDeadline.objects.filter(case=case, kind=LimitKind.NOTICE).exists()
