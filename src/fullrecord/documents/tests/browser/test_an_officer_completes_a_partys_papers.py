"""Journey (issue 10, 第十条第三项): on the written-records page an officer sees what the
party of a 非法占地 case has not submitted, uploads the scan of its ID card against the
checklist, marks the land approval 不适用 with the reason, and sees the party's papers
complete."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fullrecord.cases.choices import CaseState
from fullrecord.core.testing.browser import DESKTOP, new_page, sign_in

from ..helpers import PNG, item, ready_case, with_cause

pytestmark = pytest.mark.browser

ID_CARD = "居民身份证或其他有效身份证件复印件"
LAND = "用地批准文件或土地使用权证明"


def test_upload_mark_not_applicable_and_see_the_papers_complete(browser, site, bureau, tmp_path):
    case = with_cause(ready_case(bureau, CaseState.INVESTIGATING), "illegal-occupation")
    party = case.parties.get()
    id_card, land = item(ID_CARD), item(LAND)
    page, errors = new_page(browser, site, DESKTOP)
    sign_in(page, "officer")

    page.goto(f"/documents/case/{case.pk}/")
    expect(page.get_by_test_id(f"party-missing-{party.pk}")).to_contain_text(ID_CARD)
    expect(page.get_by_test_id(f"party-missing-{party.pk}")).to_contain_text(LAND)

    scan = tmp_path / "身份证.png"
    scan.write_bytes(PNG)
    page.locator(f"#paper-file-{party.pk}-{id_card.pk}").set_input_files(str(scan))
    page.get_by_test_id(f"file-paper-{party.pk}-{id_card.pk}").click()
    row = page.get_by_test_id(f"paper-{party.pk}-{id_card.pk}")
    expect(row).to_have_attribute("data-status", "filed")
    expect(row).to_contain_text("身份证.png")
    expect(page.get_by_test_id(f"party-missing-{party.pk}")).not_to_contain_text(ID_CARD)

    land_row = page.get_by_test_id(f"paper-{party.pk}-{land.pk}")
    land_row.locator("summary").click()
    page.locator(f"#na-{party.pk}-{land.pk}").fill("当事人称从未办理用地手续，已记入询问笔录")
    page.get_by_test_id(f"na-paper-{party.pk}-{land.pk}").click()

    expect(page.get_by_test_id(f"party-complete-{party.pk}")).to_be_visible()
    expect(page.get_by_test_id(f"paper-{party.pk}-{land.pk}")).to_contain_text("已记入询问笔录")
    expect(page.get_by_test_id("papers-complete")).to_be_visible()
    assert errors == []
