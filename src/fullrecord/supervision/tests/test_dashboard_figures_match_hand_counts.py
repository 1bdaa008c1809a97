"""The dashboard's figures against counts made by hand on a small, fixed fixture.

Section one: case A (officer, officer2) opened in March 2026, filed in March, under
investigation in April; footage linked at discovery and at investigation, none at
filing. Four items of the officer's in March (two linked; devices DSJ-1 ×3, DSJ-2 ×1).
A submitted review of case A scored 80. An order to the officer, overdue.
Section two: case B (other_officer) opened in March 2026, nothing else; two items in
April, unlinked, device DSJ-3; a closed order to the section.

By hand:
  coverage      s1: discovery ✓ (Mar), filing ✗ (Mar), investigation ✓ (Apr) → 2/3 = 66.7 %
                s2: discovery ✗ (Mar) → 0/1 = 0 %;  total 2/4 = 50 %
                months: Mar 1/3 = 33.3 %, Apr 1/1 = 100 %
                officers: officer 2/3, officer2 2/3, other_officer 0/1
  association   s1 2/4 = 50 %, s2 0/2 = 0 %, total 2/6 = 33.3 %; Mar 50 %, Apr 0 %
  device use    s1 4 items / 2 devices = 2.0, s2 2 / 1 = 2.0
  review score  s1 80, s2 none
  open orders   s1 1, s2 0;  overdue s1 1, s2 0
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fullrecord.cases.models import Case, CaseTransition
from fullrecord.media.models import MediaItem
from fullrecord.media.services import link_to_case
from fullrecord.supervision import figures, services
from fullrecord.supervision.models import Rectification, Review

from .world import make_case, make_item

MARCH = datetime(2026, 3, 15, 4, 0, tzinfo=UTC)
APRIL = datetime(2026, 4, 10, 4, 0, tzinfo=UTC)
START, END = date(2026, 1, 1), date(2026, 12, 31)


@pytest.fixture
def fixture(bureau):
    b = bureau
    case_a = make_case(b, b.section1, [b.officer, b.officer2])
    case_b = make_case(b, b.section2, [b.other_officer])
    Case.objects.filter(pk=case_a.pk).update(created_at=datetime(2026, 3, 5, 4, tzinfo=UTC))
    Case.objects.filter(pk=case_b.pk).update(created_at=datetime(2026, 3, 20, 4, tzinfo=UTC))
    for to_state, at in (("filed", datetime(2026, 3, 10, 4, tzinfo=UTC)), ("investigating", APRIL)):
        CaseTransition.objects.create(
            case=case_a, name="x", from_state="discovered", to_state=to_state, actor=b.leader, at=at
        )
    items = [make_item(b.officer, n, device="DSJ-1" if n < 3 else "DSJ-2") for n in range(4)]
    MediaItem.objects.filter(pk__in=[i.pk for i in items]).update(used_at=MARCH)
    link_to_case(items[0], case_a, stage="discovery", actor=b.officer)
    link_to_case(items[1], case_a, stage="investigation", actor=b.officer)
    others = [make_item(b.other_officer, 10 + n, device="DSJ-3") for n in range(2)]
    MediaItem.objects.filter(pk__in=[i.pk for i in others]).update(used_at=APRIL)

    plan = services.create_plan(
        actor=b.inspector,
        title="固定样例",
        period_start=date(2026, 1, 1),
        period_end=timezone.localdate(),
        cases_per_stratum=5,
    )
    services.start_plan(plan, actor=b.inspector)
    draw = services.draw_sample(plan, actor=b.inspector)
    review = services.open_review(draw.entries.get(case=case_a), actor=b.inspector)
    Review.objects.filter(pk=review.pk).update(
        state="submitted", score=80, submitted_at=datetime(2026, 4, 20, tzinfo=UTC)
    )
    late = services.issue_rectification(
        actor=b.inspector,
        finding="缺少立案阶段记录",
        deadline=timezone.localdate(),
        assignee=b.officer,
    )
    Rectification.objects.filter(pk=late.pk).update(
        deadline=timezone.localdate() - timedelta(days=3)
    )
    closed = services.issue_rectification(
        actor=b.inspector,
        finding="记录中断",
        deadline=timezone.localdate(),
        assignee_unit=b.section2,
    )
    Rectification.objects.filter(pk=closed.pk).update(state="closed")
    figures.refresh()
    return b


def _rows(b, group):
    rows, total = figures.figures(b.county, start=START, end=END, group=group)
    return {row.key: row.values for row in rows}, total.values


def test_per_section(fixture):
    rows, total = _rows(fixture, "section")

    s1, s2 = rows["执法一科"], rows["执法二科"]
    assert (s1["coverage"], s2["coverage"], total["coverage"]) == (66.7, 0.0, 50.0)
    assert (s1["association"], s2["association"], total["association"]) == (50.0, 0.0, 33.3)
    assert (s1["device_use"], s2["device_use"]) == (2.0, 2.0)
    assert (s1["review_score"], s2["review_score"]) == (80.0, None)
    assert (s1["rectifications"], s2["rectifications"], total["rectifications"]) == (1, 0, 1)
    assert (s1["overdue"], s2["overdue"]) == (1, 0)


def test_per_month(fixture):
    rows, _total = _rows(fixture, "month")

    assert rows["2026-03"]["coverage"] == 33.3
    assert rows["2026-04"]["coverage"] == 100.0
    assert rows["2026-03"]["association"] == 50.0
    assert rows["2026-04"]["association"] == 0.0


def test_per_officer(fixture):
    rows, _total = _rows(fixture, "officer")

    assert rows["officer"]["coverage"] == 66.7
    assert rows["officer2"]["coverage"] == 66.7
    assert rows["other_officer"]["coverage"] == 0.0
    assert rows["officer"]["association"] == 50.0
    assert rows["officer"]["rectifications"] == 1


def test_the_api_gives_the_same_figures(fixture, api_client):
    api_client.force_authenticate(fixture.inspector)

    answer = api_client.get(
        reverse("api:supervision-dashboard"), {"start": START, "end": END, "group": "section"}
    ).json()

    by_key = {row["key"]: row["values"] for row in answer["rows"]}
    assert by_key["执法一科"]["coverage"] == 66.7
    assert answer["total"]["values"]["association"] == 33.3
    assert answer["total"]["counts"]["association"] == [2.0, 6.0]


def test_the_page_shows_them_and_the_exports_carry_them(fixture, client):
    client.force_login(fixture.inspector)
    query = {"start": START.isoformat(), "end": END.isoformat()}

    page = client.get(reverse("supervision:dashboard"), query).content.decode()
    xlsx = client.get(reverse("supervision:dashboard_export", args=["xlsx"]), query)
    pdf = client.get(reverse("supervision:dashboard_export", args=["pdf"]), query)

    assert "66.7%" in page and "supervision-chart" in page
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["执法一科", 66.7, 50, 2, None, 80, 1, 1] in values
    assert pdf.content.startswith(b"%PDF")
