"""A deadline counted on weekdays alone is recounted once its year's calendar is entered."""

from datetime import date

import pytest

from fullrecord.calendars.models import CalendarDay, CalendarYear
from fullrecord.cases.deadlines import recompute_provisional
from fullrecord.cases.models import CaseDeadline, TimeLimitRule
from fullrecord.core.testing.factories import CaseFactory


@pytest.fixture
def provisional(db):
    rule = TimeLimitRule.objects.get(code="service_7")
    case = CaseFactory()
    # 2031-01-02 (Thu) + 7 working days on weekdays alone = 2031-01-13
    return CaseDeadline.objects.create(
        case=case,
        rule=rule,
        kind=rule.kind,
        started_on=date(2031, 1, 2),
        due_on=date(2031, 1, 13),
        provisional=True,
    )


def test_nothing_changes_while_the_year_is_unknown(provisional):
    assert recompute_provisional() == 0


def test_entering_the_year_recounts_with_its_holidays(provisional):
    CalendarYear.objects.create(year=2031, published=True, source="国办发明电〔2030〕")
    CalendarDay.objects.create(date=date(2031, 1, 3), kind="holiday", name="元旦")
    assert recompute_provisional() == 1
    provisional.refresh_from_db()
    assert provisional.due_on == date(2031, 1, 14) and provisional.provisional is False


def test_a_year_entered_but_not_marked_published_still_counts_as_unknown(provisional):
    CalendarYear.objects.create(year=2031)
    assert recompute_provisional() == 0


def test_the_admin_recounts_when_a_day_is_saved(client, provisional, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw", full_name="root")
    client.force_login(admin)
    CalendarYear.objects.create(year=2031, published=True)
    response = client.post(
        "/admin/calendars/calendarday/add/",
        {"date": "2031-01-03", "kind": "holiday", "name": "元旦"},
    )
    assert response.status_code == 302
    provisional.refresh_from_db()
    assert provisional.due_on == date(2031, 1, 14)
