"""Working days on the Chinese calendar (行政处罚法第八十五条), seeded for the years
the ``chinese-calendar`` package knows (migration calendars/0002).

2026's National Day holiday runs Thursday 1 to Wednesday 7 October, with Saturday
10 October a make-up working day (调休).
"""

from __future__ import annotations

from datetime import date

import pytest

from fullrecord.calendars.choices import DayKind
from fullrecord.calendars.models import CalendarDay, CalendarYear
from fullrecord.calendars.services import WorkCalendar

pytestmark = pytest.mark.django_db


def test_the_migration_seeded_the_years_the_package_knows():
    years = set(CalendarYear.objects.values_list("year", flat=True))

    assert {2024, 2025, 2026} <= years
    assert 2031 not in years


def test_national_day_is_off_and_the_make_up_saturday_is_on():
    calendar = WorkCalendar()

    assert not any(calendar.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert calendar.is_working_day(date(2026, 10, 10))  # Saturday, 调休
    assert not calendar.is_working_day(date(2026, 10, 11))  # Sunday


def test_five_working_days_across_national_day_count_the_make_up_saturday():
    # Sep 30 (1), Oct 8 (2), Oct 9 (3), Oct 10 Saturday 调休 (4), Oct 12 (5).
    due = WorkCalendar().add_working_days(date(2026, 9, 29), 5)

    assert due.date == date(2026, 10, 12)
    assert not due.provisional


def test_the_start_day_is_not_counted():
    assert WorkCalendar().add_working_days(date(2026, 3, 2), 1).date == date(2026, 3, 3)


def test_ninety_calendar_days_ending_on_a_holiday_move_to_the_next_working_day():
    # 2026-07-03 + 90 days = Thursday 2026-10-01, National Day.
    due = WorkCalendar().add_calendar_days(date(2026, 7, 3), 90)

    assert due.date == date(2026, 10, 8)
    assert not due.provisional


def test_ninety_calendar_days_ending_on_a_sunday_move_to_monday():
    assert WorkCalendar().add_calendar_days(date(2026, 3, 2), 90).date == date(2026, 6, 1)


def test_ninety_calendar_days_ending_on_a_make_up_working_day_stay_there():
    assert WorkCalendar().add_calendar_days(date(2026, 7, 12), 90).date == date(2026, 10, 10)


def test_a_year_without_calendar_data_is_counted_on_weekdays_and_provisional():
    # 2031-03-07 is a Friday.
    due = WorkCalendar().add_working_days(date(2031, 3, 7), 5)

    assert due.date == date(2031, 3, 14)
    assert due.provisional


def test_a_count_running_into_an_unknown_year_is_provisional():
    due = WorkCalendar().add_working_days(date(2026, 12, 28), 5)

    assert due.date.year == 2027
    assert due.provisional


def test_the_administrator_can_enter_a_later_year():
    CalendarYear.objects.create(year=2031, published=True, source="国务院办公厅通知")
    CalendarDay.objects.create(date=date(2031, 3, 10), kind=DayKind.HOLIDAY, name="测试假日")

    due = WorkCalendar().add_working_days(date(2031, 3, 7), 5)

    assert due.date == date(2031, 3, 17)
    assert not due.provisional


def test_an_unpublished_year_is_not_trusted_yet():
    CalendarYear.objects.create(year=2031, published=False)
    CalendarDay.objects.create(date=date(2031, 3, 10), kind=DayKind.HOLIDAY, name="草稿")

    due = WorkCalendar().add_working_days(date(2031, 3, 7), 5)

    assert due.date == date(2031, 3, 14)
    assert due.provisional


def test_working_days_between_counts_after_the_start_up_to_the_end():
    calendar = WorkCalendar()

    assert calendar.working_days_between(date(2026, 9, 29), date(2026, 10, 12)) == 5
    assert calendar.working_days_between(date(2026, 10, 12), date(2026, 9, 29)) == -5
    assert calendar.working_days_between(date(2026, 10, 12), date(2026, 10, 12)) == 0


def test_the_api_counts_working_days(bureau, api_client):
    api_client.force_authenticate(bureau.officer)

    response = api_client.get("/api/calendar/working-days/?start=2026-09-29&days=5")

    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-09-29",
        "days": 5,
        "due": "2026-10-12",
        "provisional": False,
    }


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?start=2026-09-29",
        "?start=yesterday&days=5",
        "?start=2026-09-29&days=-1",
        "?start=2026-09-29&days=99999",
        "?start=9999-12-30&days=5",
    ],
)
def test_the_api_answers_bad_input_with_400(bureau, api_client, query):
    api_client.force_authenticate(bureau.officer)

    response = api_client.get(f"/api/calendar/working-days/{query}")

    assert response.status_code == 400
