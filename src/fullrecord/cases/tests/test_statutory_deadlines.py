"""Statutory time limits start, end and are counted as the law says.

The 90-day decision limit (行政处罚法第六十条) counts calendar days from 立案,
a last day on a holiday moving to the next working day; the party's windows count
working days (第八十五条). Where the calendar for a year is missing, deadlines are
counted on weekdays, marked provisional, and the administrators are told once.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fullrecord.calendars.services import WorkCalendar
from fullrecord.cases.choices import CaseState, LimitKind
from fullrecord.cases.deadlines import status_of
from fullrecord.cases.models import CaseDeadline, TimeLimitRule
from fullrecord.cases.services import do_transition
from fullrecord.notifications.models import Notification

from .helpers import ready_case

# Not about records: moves need only what cases itself asks (core.testing.workflow).
pytestmark = pytest.mark.usefixtures("without_record_requirements")


def decision_limit(case) -> CaseDeadline:
    return CaseDeadline.objects.get(case=case, rule__code="decision_90")


def test_filing_starts_the_ninety_day_limit_on_the_filing_day(bureau):
    case = ready_case(bureau, CaseState.STOPPED)

    do_transition(case, "file", actor=bureau.head, today=date(2026, 3, 2))

    limit = decision_limit(case)
    assert (limit.started_on, limit.kind, limit.provisional) == (
        date(2026, 3, 2),
        LimitKind.LIMIT,
        False,
    )
    assert limit.due_on == date(2026, 6, 1)  # day 90 is Sunday 31 May
    assert "第六十条" in limit.rule.legal_source


def test_a_ninety_day_limit_ending_on_national_day_moves_to_the_next_working_day(bureau):
    case = ready_case(bureau, CaseState.STOPPED)

    do_transition(case, "file", actor=bureau.head, today=date(2026, 7, 3))

    assert decision_limit(case).due_on == date(2026, 10, 8)


def test_the_decision_meets_the_limit_and_starts_the_service_limit(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    do_transition(case, "file", actor=bureau.head, today=date(2026, 7, 3))
    case.state = CaseState.NOTIFIED  # the steps between are tested elsewhere
    case.save()

    do_transition(case, "decide", actor=bureau.leader, today=date(2026, 9, 29))

    assert decision_limit(case).met_at is not None
    service = CaseDeadline.objects.get(case=case, rule__code="service_7")
    assert service.due_on == date(2026, 10, 14)  # 7 working days across National Day


def test_an_exit_cancels_the_running_limits(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    do_transition(case, "file", actor=bureau.head, today=date(2026, 3, 2))

    do_transition(case, "withdraw", actor=bureau.leader, reason="当事人已自行纠正")

    limit = decision_limit(case)
    assert limit.cancelled and limit.met_at is None


def test_an_inactive_rule_starts_no_deadline(bureau):
    TimeLimitRule.objects.filter(code="decision_90").update(active=False)
    case = ready_case(bureau, CaseState.STOPPED)

    do_transition(case, "file", actor=bureau.head, today=date(2026, 3, 2))

    assert not CaseDeadline.objects.filter(case=case).exists()


def test_the_administrator_can_change_a_limit(bureau):
    TimeLimitRule.objects.filter(code="decision_90").update(days=60)
    case = ready_case(bureau, CaseState.STOPPED)

    do_transition(case, "file", actor=bureau.head, today=date(2026, 3, 2))

    assert decision_limit(case).due_on == date(2026, 5, 6)  # May 1-5 is Labour Day


# ---------------------------------------------------------------- a year with no calendar


def test_in_a_year_without_calendar_data_a_deadline_is_provisional(bureau):
    case = ready_case(bureau, CaseState.STOPPED)

    do_transition(case, "file", actor=bureau.head, today=date(2031, 3, 3))

    limit = decision_limit(case)
    assert limit.provisional
    assert limit.due_on == date(2031, 6, 2)  # day 90 is a Sunday; weekdays only


def test_the_administrators_are_told_once_about_a_missing_year(bureau):
    for _ in range(3):
        case = ready_case(bureau, CaseState.STOPPED)
        do_transition(case, "file", actor=bureau.head, today=date(2031, 3, 3))

    notices = Notification.objects.filter(key="calendar-missing-2031")
    assert [n.recipient for n in notices] == [bureau.admin]
    assert "2031" in notices[0].message
    assert notices[0].level == "warning"


def test_no_one_is_told_when_the_calendar_is_there(bureau):
    case = ready_case(bureau, CaseState.STOPPED)

    do_transition(case, "file", actor=bureau.head, today=date(2026, 3, 2))

    assert not Notification.objects.filter(key__startswith="calendar-missing").exists()


def test_the_case_api_shows_a_provisional_deadline(bureau, api_client):
    case = ready_case(bureau, CaseState.STOPPED)
    do_transition(case, "file", actor=bureau.head, today=date(2031, 3, 3))
    api_client.force_authenticate(bureau.officer)

    (deadline,) = api_client.get(f"/api/cases/{case.pk}/deadlines/").json()

    assert deadline["provisional"] is True
    assert deadline["due_on"] == "2031-06-02"
    assert "第六十条" in deadline["legal_source"]


def test_the_timeline_shows_the_deadline_and_says_it_is_provisional(bureau, client):
    case = ready_case(bureau, CaseState.STOPPED)
    do_transition(case, "file", actor=bureau.head, today=date(2031, 3, 3))
    client.force_login(bureau.officer)

    items = client.get(f"/api/cases/{case.pk}/timeline/").json()

    (deadline,) = [i for i in items if i["kind"] == "deadline"]
    assert deadline["extra"]["provisional"] is True
    assert deadline["extra"]["due_on"] == "2031-06-02"
    kinds = [i["kind"] for i in items]
    assert kinds.index("transition") < kinds.index("deadline")  # in time order


# ---------------------------------------------------------------- status


@pytest.fixture
def calendar(db):
    return WorkCalendar()


def limit_due(case, due_on, kind=LimitKind.LIMIT):
    return CaseDeadline(
        case=case,
        rule=TimeLimitRule.objects.get(code="decision_90"),
        kind=kind,
        started_on=due_on - timedelta(days=90),
        due_on=due_on,
    )


@pytest.mark.parametrize(
    ("today", "code", "left"),
    [
        (date(2026, 9, 1), "running", 24),  # Sunday Sep 20 is a make-up day
        (date(2026, 9, 30), "due_soon", 3),  # Oct 8, 9, 10 (调休)
        (date(2026, 10, 9), "due_soon", 1),
        (date(2026, 10, 10), "due_soon", 0),
        (date(2026, 10, 11), "overdue", 0),
        (date(2026, 10, 12), "overdue", -1),
    ],
)
def test_a_limit_is_running_due_soon_or_overdue(bureau, calendar, today, code, left):
    case = ready_case(bureau, CaseState.FILED)

    status = status_of(limit_due(case, date(2026, 10, 10)), today, calendar, 3)

    assert (status.code, status.working_days_left) == (code, left)


def test_a_window_ends_but_is_never_overdue(bureau, calendar):
    case = ready_case(bureau, CaseState.NOTIFIED)
    window = limit_due(case, date(2026, 10, 12), kind=LimitKind.WINDOW)

    assert status_of(window, date(2026, 10, 12), calendar, 3).code == "running"
    assert status_of(window, date(2026, 10, 13), calendar, 3).code == "ended"


def test_a_hearing_date_is_scheduled_then_reached_never_overdue(bureau, calendar):
    case = ready_case(bureau, CaseState.HEARING)
    hearing = limit_due(case, date(2026, 10, 20), kind=LimitKind.NOTICE)

    assert status_of(hearing, date(2026, 10, 19), calendar, 3).code == "running"
    assert status_of(hearing, date(2026, 10, 20), calendar, 3).code == "held"
    assert status_of(hearing, date(2026, 11, 20), calendar, 3).code == "held"


def test_met_and_cancelled_limits_are_neither_due_nor_overdue(bureau, calendar):
    case = ready_case(bureau, CaseState.DECIDED)
    met = limit_due(case, timezone.localdate() + timedelta(days=30))
    met.met_at = timezone.now()
    cancelled = limit_due(case, date(2026, 1, 5))
    cancelled.cancelled = True

    assert status_of(met, date(2026, 10, 1), calendar, 3).code == "met"
    assert status_of(cancelled, date(2026, 10, 1), calendar, 3).code == "cancelled"
