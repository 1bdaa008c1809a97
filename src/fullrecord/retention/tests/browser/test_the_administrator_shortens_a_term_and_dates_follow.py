"""Journey (第十二条): the administrator opens the case-file terms from the menu, shortens
the penalty cases' term with a reason, and the evidence of an archived penalty case is
kept until the new date at once; then deactivates the term, and the evidence is kept
until the administrator sets one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fullrecord.audit.models import AuditEntry
from fullrecord.core.testing.browser import sign_in, zh
from fullrecord.retention import services
from fullrecord.retention.choices import Outcome
from fullrecord.retention.models import CaseFileTerm

from ..helpers import case_of, end_case, footage, keep_until, link, today

pytestmark = pytest.mark.browser


def test_the_administrator_shortens_then_deactivates_the_penalty_term(browser, site, bureau):
    evidence = footage(bureau.officer, name="现场勘查.mp4")
    case = case_of(bureau)
    link(evidence, case, bureau.officer)
    end_case(case, bureau.archivist)
    assert keep_until(evidence) == services.add_years(today(), 30)
    term = CaseFileTerm.objects.get(outcome=Outcome.PENALTY, years=30)

    page = browser.new_context(base_url=site, locale="zh-CN").new_page()
    page.set_default_timeout(15_000)
    sign_in(page, "admin")
    page.get_by_role("link", name=zh("Case-file terms")).first.click()
    expect(page.get_by_test_id(f"term-years-{term.pk}")).to_contain_text("30")

    page.get_by_role("link", name=term.name).click()
    page.locator("#id_years").fill("20")
    page.locator("#id_reason").fill("新档案保管期限规定")
    page.get_by_test_id("term-save").click()
    expect(page.get_by_test_id(f"term-years-{term.pk}")).to_contain_text("20")
    # The recomputation ran once the change was committed (the tests' task backend).
    assert keep_until(evidence) == services.add_years(today(), 20)

    page.get_by_role("link", name=term.name).click()
    page.locator("#id_note").fill("停用，待重新规定")
    page.get_by_test_id("term-toggle").click()
    expect(page.get_by_test_id(f"term-state-{term.pk}")).to_have_text(zh("Inactive"))
    evidence.refresh_from_db()
    assert evidence.retention.forever and evidence.keep_until is None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"retention.term_changed", "retention.term_deactivated"} <= actions
    page.context.close()
