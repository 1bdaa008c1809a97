"""An issued document's PDF is kept as long as its case's file, not the routine six
months: while the case is open it is never due, and a hold on the case covers it."""

from __future__ import annotations

import pytest

from fullrecord.cases.choices import CaseState
from fullrecord.documents.tests.helpers import issued, ready_case
from fullrecord.retention import services
from fullrecord.retention.choices import HoldReason

pytestmark = pytest.mark.django_db


def test_an_issued_pdf_follows_its_open_case_and_its_holds(bureau, empty_store):
    case = ready_case(bureau, CaseState.INVESTIGATING)

    document = issued(case, "interview_record", bureau)

    row = services.refresh(document.file_item)
    assert row.forever and row.case == case  # an open case's file is kept
    assert document.file_item in services.items_of_case(case)

    services.place_hold(actor=bureau.head, reason=HoldReason.OBJECTION, case=case)
    assert services.holds_on(document.file_item).exists()
