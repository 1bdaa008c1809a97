"""行政处罚法第五十九条: a 行政处罚决定书 without any of its parts is refused, naming it."""

from __future__ import annotations

import pytest

from fullrecord.cases.choices import CaseState
from fullrecord.documents.services import DocumentError

from .helpers import DECISION, draft, ready_case

pytestmark = pytest.mark.django_db


def test_a_decision_without_legal_basis_is_refused_naming_it(bureau):
    case = ready_case(bureau, CaseState.NOTIFIED)

    with pytest.raises(DocumentError) as refused:
        draft(case, "penalty_decision", bureau.officer, **{**DECISION, "legal_basis": ""})

    (message,) = refused.value.messages
    assert "第五十九条" in message
    assert "法律依据" in message


def test_a_complete_decision_is_saved(bureau):
    case = ready_case(bureau, CaseState.NOTIFIED)

    document = draft(case, "penalty_decision", bureau.officer, **DECISION)

    assert document.content["penalty"] == DECISION["penalty"]
