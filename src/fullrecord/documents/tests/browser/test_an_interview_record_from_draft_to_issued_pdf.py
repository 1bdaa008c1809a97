"""Journey (issue 10): an officer drafts a 询问笔录, is refused with one officer (第十条),
fixes it; the section head approves; the officer issues it with its 文号, downloads the PDF
(its text holds the 文号 and the Chinese parts) and the Word file, records the service of
the 责令停止违法行为通知书 with a scanned 回证, and the written-records grid turns green. And 立案
through the approval chain: the move waits for the 立案呈批表, which the officer drafts and the
section head and the leader in charge approve in turn; then the section head files the case."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document as WordDocument
from playwright.sync_api import expect

from fullrecord.cases.choices import CaseState
from fullrecord.core.testing.browser import sign_in, zh
from fullrecord.documents.models import Document

from ..helpers import (
    PNG,
    approved,
    draft,
    file_every_required_paper,
    issued,
    pdf_text,
    ready_case,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def investigating_case(bureau):
    """A case under investigation whose records are all there but the 询问笔录."""
    case = ready_case(bureau, CaseState.INVESTIGATING)
    for code in ("clue_register", "stop_order", "site_inspection", "investigation_report"):
        issued(case, code, bureau, body="经现场核实。")
    approved_filing = approved(draft(case, "filing_approval", bureau.officer), bureau)
    from fullrecord.documents import services

    services.issue(approved_filing, actor=bureau.officer)
    file_every_required_paper(case, bureau.officer)
    return case


def test_draft_refuse_fix_approve_issue_download_serve(
    browser, site, bureau, investigating_case, tmp_path
):
    from fullrecord.core.testing.browser import DESKTOP, new_page

    case = investigating_case
    officer, officer_errors = new_page(browser, site, DESKTOP)
    head, head_errors = new_page(browser, site, DESKTOP)
    sign_in(officer, "officer")

    # The grid says what is missing.
    officer.goto(f"/documents/case/{case.pk}/")
    expect(officer.get_by_test_id("written-missing")).to_be_visible()
    expect(officer.get_by_test_id("entry-询问笔录")).to_contain_text(zh("missing"))

    # Draft a 询问笔录 from the case; with one officer it is refused, naming 第十条.
    officer.locator("#id_doc_type").select_option(label="询问笔录")
    officer.get_by_test_id("draft").click()
    officer.locator("#id_body").fill("问：你是否知道占用土地需要审批？\n答：知道。")
    officer.locator(f'input[name="officers"][value="{bureau.officer2.pk}"]').uncheck()
    officer.get_by_test_id("save").click()
    expect(officer.get_by_test_id("content-errors")).to_contain_text("第十条")
    expect(officer.locator("#id_body")).to_have_value(
        "问：你是否知道占用土地需要审批？\n答：知道。"
    )

    # Fixed: both officers named, saved in place.
    officer.locator(f'input[name="officers"][value="{bureau.officer2.pk}"]').check()
    officer.get_by_test_id("save").click()
    expect(officer.get_by_test_id("saved")).to_be_visible()
    document = Document.objects.get(case=case, doc_type__code="interview_record")
    officer.reload()
    officer.get_by_test_id("submit").click()
    expect(officer.get_by_test_id("document-status")).to_have_text(zh("Awaiting approval"))

    # The section head approves with an opinion.
    sign_in(head, "head")
    head.goto(f"/documents/{document.pk}/")
    head.locator("#id_opinion").fill("同意")
    head.get_by_test_id("approve").click()
    expect(head.get_by_test_id("document-status")).to_have_text(zh("Approved"))

    # The officer issues it: the 文号 is given and the PDF is the issued one.
    officer.reload()
    officer.get_by_test_id("issue").click()
    expect(officer.get_by_test_id("document-status")).to_have_text(zh("Issued"))
    document.refresh_from_db()
    assert document.number.startswith("清国土资询〔")
    expect(officer.get_by_test_id("number")).to_have_text(document.number)
    with officer.expect_download() as pdf:
        officer.get_by_test_id("download-pdf").click()
    text = pdf_text(Path(pdf.value.path()).read_bytes())
    assert document.number in text and "询问笔录" in text and "你是否知道占用土地需要审批" in text
    with officer.expect_download() as word:
        officer.get_by_test_id("download-docx").click()
    paragraphs = WordDocument(io.BytesIO(Path(word.value.path()).read_bytes())).paragraphs
    assert any(case.number in p.text for p in paragraphs)

    # Service of the 责令停止违法行为通知书, with the scanned 回证.
    notice = Document.objects.get(case=case, doc_type__code="stop_order")
    proof = tmp_path / "送达回证.png"
    proof.write_bytes(PNG)
    officer.goto(f"/documents/{notice.pk}/")
    officer.locator("#id_method").select_option("direct")
    officer.locator("#id_recipient").fill("王某某")
    officer.locator("#id_proof").set_input_files(str(proof))
    officer.get_by_test_id("serve").click()
    expect(officer.get_by_test_id("services")).to_contain_text("王某某")
    assert notice.services.get().proof.sha256

    # Every required written record of the stages reached is there: the grid is green.
    officer.goto(f"/documents/case/{case.pk}/")
    expect(officer.get_by_test_id("written-complete")).to_be_visible()
    expect(officer.get_by_test_id("entry-询问笔录")).to_contain_text(document.number)
    assert not officer_errors and not head_errors, officer_errors + head_errors


@pytest.fixture
def stopped_case(bureau):
    """A case whose violation is stopped, with the records of its first two stages, that
    waits for its 立案呈批表 before it can be filed."""
    from fullrecord.cases.choices import Stage
    from fullrecord.media.services import link_to_case
    from fullrecord.media.tests.evidence import ingest_bytes

    case = ready_case(bureau, CaseState.STOPPED)
    for code in ("clue_register", "stop_order"):
        issued(case, code, bureau, body="经现场核实。")
    photo = ingest_bytes(bureau.officer, PNG, name="现场制止.png").item
    link_to_case(photo, case, stage=Stage.STOPPING, actor=bureau.officer, note="现场照片")
    return case


def test_filing_waits_for_the_approval_chain_then_the_case_is_filed(
    browser, site, bureau, stopped_case
):
    from fullrecord.core.testing.browser import DESKTOP, new_page

    case = stopped_case
    pages = {name: new_page(browser, site, DESKTOP) for name in ("officer", "head", "leader")}
    for name, (page, _errors) in pages.items():
        sign_in(page, name)
    officer, head, leader = (pages[name][0] for name in ("officer", "head", "leader"))

    # The move waits for the approval sheet: the section head's 立案 is blocked, naming it.
    head.goto(f"/cases/{case.pk}/")
    expect(head.get_by_test_id("blockers-file")).to_contain_text("立案呈批表")
    expect(head.get_by_test_id("do-file")).to_be_disabled()

    # The officer drafts the 立案呈批表 from the case and submits it.
    officer.goto(f"/documents/case/{case.pk}/")
    officer.locator("#id_doc_type").select_option(label="立案呈批表")
    officer.get_by_test_id("draft").click()
    officer.locator("#id_facts").fill("当事人未经批准占用集体土地建房。")
    officer.locator("#id_legal_basis").fill("《中华人民共和国土地管理法》第七十七条")
    officer.locator("#id_opinion").fill("建议立案调查。")
    officer.get_by_test_id("save").click()
    expect(officer.get_by_test_id("saved")).to_be_visible()
    sheet = Document.objects.get(case=case, doc_type__code="filing_approval")
    officer.reload()
    officer.get_by_test_id("submit").click()
    expect(officer.get_by_test_id("document-status")).to_have_text(zh("Awaiting approval"))

    # The chain: the section head, then the leader in charge, each with an opinion.
    head.goto(f"/documents/{sheet.pk}/")
    head.locator("#id_opinion").fill("同意立案")
    head.get_by_test_id("approve").click()
    expect(head.get_by_test_id("steps")).to_contain_text("同意立案")
    expect(head.get_by_test_id("document-status")).to_have_text(zh("Awaiting approval"))
    leader.goto(f"/documents/{sheet.pk}/")
    leader.locator("#id_opinion").fill("同意")
    leader.get_by_test_id("approve").click()
    expect(leader.get_by_test_id("document-status")).to_have_text(zh("Approved"))

    # Approved, the move is open: the section head files the case.
    head.goto(f"/cases/{case.pk}/")
    expect(head.get_by_test_id("blockers-file")).to_have_count(0)
    expect(head.get_by_test_id("do-file")).to_be_enabled()
    head.get_by_test_id("do-file").click()
    expect(head.get_by_test_id("case-state")).to_have_text(zh("Filed"))
    case.refresh_from_db()
    assert case.state == CaseState.FILED
    errors = [error for _page, page_errors in pages.values() for error in page_errors]
    assert not errors, errors
