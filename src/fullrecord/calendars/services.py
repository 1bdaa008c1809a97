"""Working-day arithmetic on the calendar held in the database.

A date in a year with no published calendar is counted on weekdays alone; the
result says so (``provisional``) and the administrator is told once per year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from .choices import DayKind
from .models import CalendarDay, CalendarYear


@dataclass(frozen=True)
class DueDate:
    date: date
    provisional: bool  # a year on the way had no published calendar


class WorkCalendar:
    """A snapshot of the calendar; build one per request or computation, not per process."""

    def __init__(self) -> None:
        self.published_years = set(
            CalendarYear.objects.filter(published=True).values_list("year", flat=True)
        )
        self.exceptions = dict(CalendarDay.objects.values_list("date", "kind"))

    def is_known(self, day: date) -> bool:
        return day.year in self.published_years

    def is_working_day(self, day: date) -> bool:
        kind = self.exceptions.get(day) if self.is_known(day) else None
        if kind == DayKind.HOLIDAY:
            return False
        if kind == DayKind.WORKDAY:
            return True
        return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> DueDate:
        """The day ``days`` working days after ``start`` (the start day is not counted)."""
        current, counted, provisional = start, 0, False
        while counted < days:
            current += timedelta(days=1)
            provisional |= not self.is_known(current)
            if self.is_working_day(current):
                counted += 1
        return DueDate(current, provisional)

    def add_calendar_days(self, start: date, days: int) -> DueDate:
        """``days`` calendar days after ``start``; a last day on a holiday moves to the next
        working day (民法典第二百零三条)."""
        current = start + timedelta(days=days)
        provisional = not self.is_known(current)
        while not self.is_working_day(current):
            current += timedelta(days=1)
            provisional |= not self.is_known(current)
        return DueDate(current, provisional)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        if end == start:
            return 0
        sign = 1 if end > start else -1
        lo, hi = (start, end) if sign > 0 else (end, start)
        count = 0
        current = lo
        while current < hi:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return sign * count


def seed_from_chinese_calendar() -> list[int]:
    """Load every year the ``chinese-calendar`` package knows; returns the years added.

    Years already in the database are left alone: the administrator's edits win.
    """
    from chinese_calendar import constants

    by_year: dict[int, list[CalendarDay]] = {}
    for day, name in constants.holidays.items():
        if day.weekday() < 5:  # weekend holidays change nothing
            by_year.setdefault(day.year, []).append(
                CalendarDay(date=day, kind=DayKind.HOLIDAY, name=str(name))
            )
    for day, name in constants.workdays.items():
        by_year.setdefault(day.year, []).append(
            CalendarDay(date=day, kind=DayKind.WORKDAY, name=str(name))
        )
    known_years = {d.year for d in constants.holidays}
    existing = set(CalendarYear.objects.values_list("year", flat=True))
    added = []
    with transaction.atomic():
        for year in sorted(known_years - existing):
            CalendarYear.objects.create(
                year=year, published=True, source=_("chinese-calendar package")
            )
            CalendarDay.objects.bulk_create(by_year.get(year, []), ignore_conflicts=True)
            added.append(year)
    return added
