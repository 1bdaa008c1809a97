"""From the written-records app: a notice or decision issued but not served is found
in the case-file review, and written records count for the dashboard's coverage."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import timezone

pytestmark = pytest.mark.skipif(
    not apps.is_installed("fullrecord.documents"), reason="the written-records app is not installed"
)


def test_an_issued_stop_order_without_service_is_found_and_then_not(bureau):
    from fullrecord.cases.choices import CaseState
    from fullrecord.cases.tests.helpers import ready_case
    from fullrecord.documents import services as document_services
    from fullrecord.documents.tests.helpers import PNG, issued
    from fullrecord.supervision.wiring_documents import documents_served

    case = ready_case(bureau, CaseState.STOPPED)
    assert documents_served(case).ok is None  # nothing issued yet
    order = issued(case, "stop_order", bureau)

    found = documents_served(case)
    assert found.ok is False and order.number in found.messages[0]

    document_services.record_service(
        order,
        actor=bureau.officer,
        method="direct",
        served_on=timezone.localdate(),
        recipient="王某某",
        proof_name="回证.png",
        proof_chunks=[PNG],
    )
    assert documents_served(case).ok is True


def test_written_records_count_for_coverage(bureau):
    from fullrecord.cases.choices import CaseState
    from fullrecord.cases.tests.helpers import ready_case
    from fullrecord.documents.tests.helpers import issued
    from fullrecord.supervision import figures

    case = ready_case(bureau, CaseState.STOPPED)
    issued(case, "stop_order", bureau)

    pairs = {pair for source in figures.STAGE_RECORD_SOURCES for pair in source()}

    assert (case.pk, "stopping") in pairs
