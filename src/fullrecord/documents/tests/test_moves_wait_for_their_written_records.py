"""立案 waits for an approved 立案呈批表, the decision for the 法制审核意见 and an approved
决定书, service for the served decision, closing for an approved 结案呈批表."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fullrecord.cases.choices import CaseState
from fullrecord.cases.tests.helpers import refusal
from fullrecord.documents import services

from .helpers import DECISION, PNG, approved, draft, issued, ready_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_other_completeness_rules(monkeypatch):
    """Only this app's requirements of the moves: the completeness of the stages (which
    asks for this app's records too) is tested apart."""
    from fullrecord.cases import completeness

    monkeypatch.setattr(completeness, "_RULES", [])


def test_filing_waits_for_an_approved_filing_form(bureau):
    case = ready_case(bureau, CaseState.STOPPED)

    assert any("立案呈批表" in m for m in refusal(case, "file", bureau.head))

    approved(draft(case, "filing_approval", bureau.officer), bureau)
    services_ok(case, "file", bureau.head)


def test_the_decision_waits_for_legal_review_and_an_approved_decision(bureau):
    case = ready_case(bureau, CaseState.NOTIFIED)

    messages = " ".join(refusal(case, "decide", bureau.leader))
    assert "法制审核意见" in messages and "行政处罚决定书" in messages

    issued(case, "legal_review", bureau)
    approved(draft(case, "penalty_decision", bureau.officer, **DECISION), bureau)
    services_ok(case, "decide", bureau.leader)


def test_service_waits_for_the_served_decision(bureau):
    case = ready_case(bureau, CaseState.DECIDED)
    decision = issued(case, "penalty_decision", bureau, **DECISION)

    assert any("送达" in m for m in refusal(case, "serve", bureau.officer))

    services.record_service(
        decision,
        actor=bureau.officer,
        method="post",
        served_on=timezone.localdate(),
        recipient="王某某",
        proof_name="回证.png",
        proof_chunks=[PNG],
    )
    services_ok(case, "serve", bureau.officer)


def test_closing_waits_for_an_approved_closing_form(bureau):
    case = ready_case(bureau, CaseState.ENFORCING)

    assert any("结案呈批表" in m for m in refusal(case, "close", bureau.head))


def services_ok(case, name, actor):
    from fullrecord.cases.services import do_transition

    do_transition(case, name, actor=actor)
