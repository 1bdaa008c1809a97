"""Approval chains: each step decided by a holder of its role who reaches the case, in
order, never by the drafter; a rejection sends the document back as a draft; the next
approver is told; the 内部程序审批表 PDF lists every opinion, signer and time."""

from __future__ import annotations

import pytest

from fullrecord.cases.choices import CaseState
from fullrecord.core.todo import items_for
from fullrecord.documents import render, services
from fullrecord.documents.choices import Status, StepStatus
from fullrecord.documents.services import DocumentError
from fullrecord.notifications.models import Notification

from .helpers import DECISION, draft, pdf_text, ready_case

pytestmark = pytest.mark.django_db


def test_the_decision_goes_head_then_legal_then_leader(bureau):
    case = ready_case(bureau, CaseState.NOTIFIED)
    document = services.submit(
        draft(case, "penalty_decision", bureau.officer, **DECISION), actor=bureau.officer
    )

    assert Notification.objects.filter(
        recipient=bureau.head, link=document.get_absolute_url()
    ).exists()
    assert [i.kind for i in items_for(bureau.head)] == ["documents.approve"]
    with pytest.raises(DocumentError):  # the leader's turn has not come
        services.decide(document, actor=bureau.leader, approve=True)

    services.decide(document, actor=bureau.head, approve=True, opinion="同意")
    assert Notification.objects.filter(
        recipient=bureau.legal, link=document.get_absolute_url()
    ).exists()
    services.decide(document, actor=bureau.legal, approve=True, opinion="法制审核通过")
    services.decide(document, actor=bureau.leader, approve=True, opinion="同意处罚")

    document.refresh_from_db()
    assert document.status == Status.APPROVED
    text = pdf_text(render.approval_sheet_pdf(document))
    assert "内部程序审批表" in text
    for opinion in ("法制审核通过", "同意处罚", "head", "legal", "leader"):
        assert opinion in text


def test_the_drafter_may_not_approve_their_own_document(bureau):
    case = ready_case(bureau, CaseState.STOPPED, officers=[bureau.head, bureau.officer])
    document = services.submit(draft(case, "filing_approval", bureau.head), actor=bureau.head)

    with pytest.raises(DocumentError):
        services.decide(document, actor=bureau.head, approve=True)


def test_a_head_of_another_section_may_not_approve(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    document = services.submit(draft(case, "filing_approval", bureau.officer), actor=bureau.officer)

    with pytest.raises(DocumentError):
        services.decide(document, actor=bureau.other_head, approve=True)


def test_a_rejection_needs_a_reason_and_returns_a_draft(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    document = services.submit(draft(case, "filing_approval", bureau.officer), actor=bureau.officer)

    with pytest.raises(DocumentError):
        services.decide(document, actor=bureau.head, approve=False)
    services.decide(document, actor=bureau.head, approve=False, opinion="证据不足")

    document.refresh_from_db()
    assert document.status == Status.DRAFT
    assert list(document.steps.values_list("status", flat=True)) == [
        StepStatus.REJECTED,
        StepStatus.CANCELLED,
    ]
    assert Notification.objects.filter(
        recipient=bureau.officer, message__contains="证据不足"
    ).exists()
    services.submit(document, actor=bureau.officer)  # a second round
    assert document.steps.filter(round=2).count() == 2
