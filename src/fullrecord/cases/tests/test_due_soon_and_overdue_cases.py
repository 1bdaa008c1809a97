"""Each officer and section head sees their due-soon and overdue cases; the list filters them.

These run on today's date: the deadlines are placed relative to it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.calendars.services import WorkCalendar
from fullrecord.cases.choices import CaseState, LimitKind
from fullrecord.cases.models import CaseDeadline, TimeLimitRule

from .helpers import ready_case


def with_limit(case, due_on, *, met=False):
    CaseDeadline.objects.create(
        case=case,
        rule=TimeLimitRule.objects.get(code="decision_90"),
        kind=LimitKind.LIMIT,
        started_on=due_on - timedelta(days=90),
        due_on=due_on,
        met_at=timezone.now() if met else None,
    )
    return case


@pytest.fixture
def cases(bureau):
    today = timezone.localdate()
    tomorrow_at_work = WorkCalendar().add_working_days(today, 1).date
    s1 = {"unit": bureau.section1}
    s2 = {
        "unit": bureau.section2,
        "officers": [bureau.other_officer, bureau.head],
    }
    return {
        "overdue": with_limit(ready_case(bureau, CaseState.FILED, **s1), today - timedelta(3)),
        "due_soon": with_limit(ready_case(bureau, CaseState.FILED, **s1), tomorrow_at_work),
        "far": with_limit(ready_case(bureau, CaseState.FILED, **s1), today + timedelta(60)),
        "met": with_limit(
            ready_case(bureau, CaseState.DECIDED, **s1), today - timedelta(3), met=True
        ),
        "other_section_overdue": with_limit(
            ready_case(bureau, CaseState.FILED, **s2), today - timedelta(1)
        ),
    }


def dashboard(client, user):
    client.force_login(user)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return (
        {d.case for d, _ in response.context["overdue"]},
        {d.case for d, _ in response.context["due_soon"]},
    )


def test_an_officer_sees_the_overdue_and_due_soon_cases_assigned_to_them(bureau, client, cases):
    overdue, due_soon = dashboard(client, bureau.officer)

    assert overdue == {cases["overdue"]}
    assert due_soon == {cases["due_soon"]}


def test_a_section_head_sees_those_of_the_section(bureau, client, cases):
    overdue, due_soon = dashboard(client, bureau.other_head)

    assert overdue == {cases["other_section_overdue"]}
    assert due_soon == set()


def test_a_head_also_sees_cases_of_other_sections_they_work_on_as_officer(bureau, client, cases):
    overdue, due_soon = dashboard(client, bureau.head)

    assert overdue == {cases["overdue"], cases["other_section_overdue"]}
    assert due_soon == {cases["due_soon"]}


def test_the_leader_sees_the_whole_bureau(bureau, client, cases):
    overdue, _ = dashboard(client, bureau.leader)

    assert overdue == {cases["overdue"], cases["other_section_overdue"]}


def test_an_officer_of_another_county_sees_none_of_them(bureau, client, cases):
    assert dashboard(client, bureau.outsider_leader) == (set(), set())


def test_the_dashboard_page_lists_them_with_their_numbers(bureau, client, cases):
    client.force_login(bureau.officer)

    html = client.get("/dashboard/").content.decode()

    assert cases["overdue"].number in html
    assert cases["due_soon"].number in html


def listed(client, user, query):
    client.force_login(user)
    response = client.get(f"/cases/?{query}")
    assert response.status_code == 200
    return set(response.context["page"].object_list)


def test_the_case_list_filters_overdue_cases(bureau, client, cases):
    assert listed(client, bureau.leader, "overdue=true") == {
        cases["overdue"],
        cases["other_section_overdue"],
    }


def test_the_case_list_filters_cases_that_are_not_overdue(bureau, client, cases):
    assert listed(client, bureau.officer, "overdue=false") == {
        cases["due_soon"],
        cases["far"],
        cases["met"],
    }


def test_the_api_filters_overdue_cases(bureau, api_client, cases):
    api_client.force_authenticate(bureau.officer)

    body = api_client.get("/api/cases/?overdue=true").json()

    assert [c["number"] for c in body["results"]] == [cases["overdue"].number]
