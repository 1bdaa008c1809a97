"""Seed the working-day calendar from the ``chinese-calendar`` package's known years."""

from django.db import migrations


def seed(apps, schema_editor):
    from chinese_calendar import constants

    CalendarYear = apps.get_model("calendars", "CalendarYear")
    CalendarDay = apps.get_model("calendars", "CalendarDay")
    if CalendarYear.objects.exists():
        return
    years = sorted({d.year for d in constants.holidays})
    days = [CalendarDay(date=d, kind="holiday", name=str(n))
            for d, n in constants.holidays.items() if d.weekday() < 5]
    days += [CalendarDay(date=d, kind="workday", name=str(n)) for d, n in constants.workdays.items()]
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, published=True, source="chinese-calendar") for y in years]
    )
    CalendarDay.objects.bulk_create(days, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
