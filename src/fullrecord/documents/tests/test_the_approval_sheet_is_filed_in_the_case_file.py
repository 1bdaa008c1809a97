"""When a chain approves a document, its 内部程序审批表 — every round, signer, time and
opinion — is filed as a written record of the case: a PDF in the evidence store with
its SHA-256, its own 文号, listed with the case's documents, never changed."""

from __future__ import annotations

import hashlib

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.choices import CaseState
from fullrecord.documents import services
from fullrecord.documents.choices import Status
from fullrecord.documents.models import Document
from fullrecord.documents.services import DocumentError
from fullrecord.media.store import get_store

from .helpers import DECISION, draft, pdf_text, ready_case

pytestmark = pytest.mark.django_db


def through_the_chain(bureau, *, reject_first: bool = False, file_sheet: bool = True):
    case = ready_case(bureau, CaseState.NOTIFIED)
    document = services.submit(
        draft(case, "penalty_decision", bureau.officer, **DECISION), actor=bureau.officer
    )
    if reject_first:
        services.decide(document, actor=bureau.head, approve=False, opinion="事实部分需补充")
        document = services.submit(document, actor=bureau.officer)
    services.decide(
        document, actor=bureau.head, approve=True, opinion="同意", file_sheet=file_sheet
    )
    services.decide(
        document, actor=bureau.legal, approve=True, opinion="法制审核通过", file_sheet=file_sheet
    )
    services.decide(
        document, actor=bureau.leader, approve=True, opinion="同意处罚", file_sheet=file_sheet
    )
    document.refresh_from_db()
    return case, document


def test_the_last_approval_files_the_sheet_with_every_opinion(bureau):
    case, document = through_the_chain(bureau, reject_first=True)

    sheet = Document.objects.get(approval_of=document)
    assert sheet.doc_type.code == "internal_approval" and sheet.status == Status.ISSUED
    assert sheet.case == case and sheet.number.endswith("号") and "批" in sheet.number
    with get_store().open(sheet.sha256) as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == sheet.sha256 == sheet.file_item.sha256
    text = pdf_text(data)
    for words in ("内部程序审批表", "事实部分需补充", "法制审核通过", "同意处罚", case.number):
        assert words in text
    entry = AuditEntry.objects.get(action="document.approval_sheet")
    assert (entry.object_id, entry.case_id) == (str(sheet.pk), case.pk)
    assert entry.data["approves"] == document.pk and entry.actor == bureau.leader


def test_a_step_that_does_not_end_the_chain_files_nothing(bureau):
    case = ready_case(bureau, CaseState.NOTIFIED)
    document = services.submit(
        draft(case, "penalty_decision", bureau.officer, **DECISION), actor=bureau.officer
    )
    services.decide(document, actor=bureau.head, approve=True, opinion="同意")

    assert not Document.objects.filter(approval_of=document).exists()


def test_the_sheet_is_one_of_the_case_documents_and_is_not_corrected(bureau, client):
    case, document = through_the_chain(bureau)
    sheet = document.approval_sheet

    client.force_login(bureau.officer)
    listed = client.get(f"/api/cases/{case.pk}/documents/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    [row] = [r for r in rows if r["id"] == sheet.pk]
    assert row["sha256"] == sheet.sha256 and row["number"] == sheet.number
    assert row["approval_of"] == document.pk
    with pytest.raises(DocumentError):
        services.correct(sheet, actor=bureau.officer, reason="想改")


def test_the_approval_sheet_download_is_the_filed_one(bureau, client):
    case, document = through_the_chain(bureau)
    sheet = document.approval_sheet

    client.force_login(bureau.officer)
    answer = client.get(f"/api/documents/{document.pk}/approval-sheet/")

    assert answer.status_code == 200
    assert hashlib.sha256(b"".join(answer.streaming_content)).hexdigest() == sheet.sha256
    page = client.get(document.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert sheet.number in page.decode() and "section_head" not in page.decode()


def test_a_chain_approved_before_the_upgrade_gets_its_sheet_on_first_read(bureau, client):
    case, document = through_the_chain(bureau, file_sheet=False)
    assert not Document.objects.filter(approval_of=document).exists()

    client.force_login(bureau.officer)
    first = client.get(f"/api/documents/{document.pk}/approval-sheet/")
    second = client.get(f"/api/documents/{document.pk}/approval-sheet/")

    assert first.status_code == second.status_code == 200
    sheet = Document.objects.get(approval_of=document)
    assert sheet.created_by == bureau.leader  # who signed the chain's last step
    assert Document.objects.filter(approval_of=document).count() == 1
