"""Journey (第十一条): the leader in charge finds a case with a missing record through the
list's 记录不全 filter, opens its completeness grid, records why the footage could not be
made (缺失说明), and the move the gap was holding up goes through."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fullrecord.audit.models import AuditEntry
from fullrecord.cases import completeness, services
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Case, Cause
from fullrecord.cases.validators import compute_resident_id_check
from fullrecord.core.testing.browser import label_zh, sign_in, zh
from fullrecord.core.testing.workflow import only_case_requirements
from fullrecord.media import completeness as footage_rule

pytestmark = pytest.mark.browser

FIRST17 = "13052419800101002"
REASON = "执法记录仪电量耗尽，现场未能录像，已当场报告并拍照"


@pytest.fixture
def footage_only():
    """The footage rule alone: what the written records expect is their journeys' business."""
    with only_case_requirements():
        completeness._RULES[:] = [footage_rule.footage]
        yield


@pytest.fixture
def stopped_case(bureau, footage_only) -> Case:
    case = services.create_case(
        actor=bureau.head,
        cause=Cause.objects.get(code="illegal-occupation"),
        source="report",  # a public report: no footage of the discovery is expected
        org_unit=bureau.section1,
        address="清河县连庄镇西杨庄砂场",
        parties=[
            {
                "kind": "person",
                "name": "李某某",
                "id_type": "resident_id",
                "id_number": FIRST17 + compute_resident_id_check(FIRST17),
            }
        ],
        officers=[bureau.officer, bureau.officer2],
    )
    services.do_transition(case, "stop", actor=bureau.officer, reason="已责令停止")
    return case  # no footage of the stopping linked


def test_the_leader_explains_the_gap_and_files_the_case(page, bureau, stopped_case):
    sign_in(page, "leader")
    page.goto("/cases/")
    page.locator("#id_completeness").select_option("missing")
    badge = page.get_by_test_id(f"completeness-{stopped_case.pk}")
    expect(badge).to_have_text("缺 1 项记录")

    page.get_by_role("link", name=stopped_case.number).click()
    cell = page.get_by_test_id("cell-stopping-audiovisual-footage")
    expect(cell).to_have_attribute("data-status", "missing")
    expect(page.get_by_test_id("blockers-file")).to_contain_text("现场制止的音像记录")
    expect(page.get_by_test_id("do-file")).to_be_disabled()

    cell.get_by_text(zh("Record why it is missing")).click()
    cell.locator("textarea[name=reason]").fill(REASON)
    page.get_by_test_id("except-stopping-audiovisual-footage").click()

    expect(page.locator(".messages .msg-success")).to_have_text(zh("The explanation is recorded."))
    cell = page.get_by_test_id("cell-stopping-audiovisual-footage")
    expect(cell).to_have_attribute("data-status", "excepted")
    expect(cell).to_contain_text(REASON)
    expect(page.get_by_test_id("timeline")).to_contain_text(REASON)
    expect(page.get_by_test_id("completeness-summary")).to_have_text(zh("Records complete"))

    page.get_by_test_id("do-file").click()
    expect(page.get_by_test_id("case-state")).to_have_text(label_zh(CaseState.FILED))
    stopped_case.refresh_from_db()
    assert stopped_case.state == CaseState.FILED
    entry = AuditEntry.objects.get(action="case.completeness_exception")
    assert entry.actor == bureau.leader and entry.data["reason"] == REASON
