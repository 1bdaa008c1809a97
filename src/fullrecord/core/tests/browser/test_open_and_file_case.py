"""Journey: a section head opens a case and moves it 发现 → 制止 → 立案, then sees
the 90-day decision limit (行政处罚法 第六十条) on the timeline and the deadline table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fullrecord.cases.choices import CaseState
from fullrecord.cases.deadlines import due_date
from fullrecord.cases.models import Case, Cause, TimeLimitRule
from fullrecord.cases.validators import compute_resident_id_check
from fullrecord.core.testing.browser import label_zh, sign_in, snapshot, zh
from fullrecord.security import sm4

# Not about records: moves need only what cases itself asks (core.testing.workflow).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("without_record_requirements")]

FIRST17 = "13052419850312001"
RESIDENT_ID = FIRST17 + compute_resident_id_check(FIRST17)


def test_a_section_head_opens_a_case_and_files_it(page, bureau):
    sign_in(page, "head")
    # The interface speaks Chinese to a Chinese browser.
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Dashboard"))

    page.get_by_role("link", name=zh("Open a case")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Open a case"))
    cause = Cause.objects.get(code="illegal-occupation")
    page.locator("#id_cause").select_option(str(cause.pk))
    page.locator("#id_source").select_option("report")
    page.locator("#id_discovered_on").fill(timezone.localdate().isoformat())
    page.locator("#id_address").fill("清河县城关镇东关村北侧耕地")
    page.locator("#id_summary").fill("群众举报当事人未经批准占用耕地建房。")
    page.locator("#id_parties-0-kind").select_option("person")
    page.locator("#id_parties-0-name").fill("王某某")
    page.locator("#id_parties-0-id_type").select_option("resident_id")
    page.locator("#id_parties-0-id_number").fill(RESIDENT_ID)
    page.locator("#id_parties-0-address").fill("清河县城关镇东关村")
    page.locator("#id_lead").select_option(str(bureau.officer.pk))  # 主办
    for officer in (bureau.officer, bureau.officer2):
        page.locator(f"input[name=officers][value='{officer.pk}']").check()
    page.get_by_role("button", name=zh("Save")).click()

    state = page.get_by_test_id("case-state")
    expect(state).to_have_text(label_zh(CaseState.DISCOVERED))
    case = Case.objects.get(address="清河县城关镇东关村北侧耕地")
    assert page.url.endswith(case.get_absolute_url())
    # The page shows the identity number masked (个人信息保护法); in full only on request.
    expect(page.locator(".card", has_text=sm4.mask(RESIDENT_ID))).to_contain_text("王某某")
    expect(page.get_by_text(RESIDENT_ID)).to_have_count(0)
    for officer in (bureau.officer, bureau.officer2):
        expect(page.get_by_text(officer.certificate_number)).to_be_visible()

    page.get_by_test_id("do-stop").click()
    expect(state).to_have_text(label_zh(CaseState.STOPPED))
    page.get_by_test_id("do-file").click()
    expect(state).to_have_text(label_zh(CaseState.FILED))

    case.refresh_from_db()
    assert case.state == CaseState.FILED
    today = timezone.localdate()
    due_on = due_date(TimeLimitRule.objects.get(code="decision_90"), today).date
    # 90 calendar days, moved past a closing holiday (第八十五条), never shorter.
    assert today + timedelta(days=90) <= due_on < today + timedelta(days=100)
    due = due_on.isoformat()
    row = page.get_by_test_id("deadlines").locator("tr", has_text="作出行政处罚决定")
    expect(row).to_contain_text(due)
    expect(row).to_contain_text("第六十条")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator("li", has_text="作出行政处罚决定")).to_contain_text(due)
    expect(timeline.locator("li", has_text=label_zh(CaseState.FILED))).to_be_visible()
    snapshot(page, "case-desktop")
