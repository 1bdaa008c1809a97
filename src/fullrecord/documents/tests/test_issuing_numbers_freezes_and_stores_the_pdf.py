"""Issuing gives the 文号, freezes the content and stores the PDF in the evidence store;
the PDF's text holds the Chinese title, the parts and the 文号."""

from __future__ import annotations

import hashlib

import pytest
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.choices import CaseState
from fullrecord.documents import services
from fullrecord.documents.choices import Status
from fullrecord.documents.services import DocumentError
from fullrecord.media.store import get_store

from .helpers import DECISION, approved, draft, issued, pdf_text, ready_case

pytestmark = pytest.mark.django_db


def test_an_issued_document_has_a_number_a_stored_pdf_and_its_hash(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)

    document = issued(
        case, "interview_record", bureau, body="问：你是否知道占地需要审批？答：知道。"
    )

    year = timezone.localdate().year
    assert document.status == Status.ISSUED
    assert document.number == f"清国土资询〔{year}〕1号"
    data = get_store().open(document.sha256).read()
    assert hashlib.sha256(data).hexdigest() == document.sha256 == document.file_item.sha256
    text = pdf_text(data)
    assert "询问笔录" in text
    assert document.number in text
    assert "你是否知道占地需要审批" in text
    assert "C0001" in text and "C0002" in text  # both officers' 执法证号
    assert "清河县局" in text
    actions = set(AuditEntry.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert {
        "document.create",
        "document.submit",
        "document.approve",
        "document.issue",
        "document.store",
    } <= actions


def test_numbers_count_per_type_and_follow_each_other(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)

    first = issued(case, "interview_record", bureau)
    second = issued(case, "interview_record", bureau)
    other = issued(case, "site_inspection", bureau)

    assert first.number.endswith("〕1号") and second.number.endswith("〕2号")
    assert other.number.endswith("〕1号") and "勘" in other.number


def test_a_document_with_a_chain_is_not_issued_before_approval(bureau):
    case = ready_case(bureau, CaseState.NOTIFIED)
    document = draft(case, "penalty_decision", bureau.officer, **DECISION)

    with pytest.raises(DocumentError):
        services.issue(document, actor=bureau.officer)

    document = approved(document, bureau)
    assert services.issue(document, actor=bureau.officer).number.startswith("清国土资罚")


def test_the_pdf_is_made_again_when_storing_it_was_interrupted(bureau, monkeypatch):
    case = ready_case(bureau, CaseState.STOPPED)
    document = draft(case, "stop_order", bureau.officer)

    def crash(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(services.media_services, "ingest_spooled", crash)
    with pytest.raises(OSError):
        services.issue(document, actor=bureau.officer)
    monkeypatch.undo()

    document.refresh_from_db()
    assert document.status == Status.ISSUED and document.number and not document.sha256
    stored = services.ensure_pdf(document, actor=bureau.officer)
    assert stored.sha256
    assert document.number in pdf_text(get_store().open(stored.sha256).read())
