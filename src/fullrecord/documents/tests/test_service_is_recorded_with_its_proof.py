"""送达: method, date, recipient and the signed 送达回证 (stored as evidence); electronic
service only with the party's recorded consent, 留置 only with witnesses."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.choices import CaseState
from fullrecord.documents import services
from fullrecord.documents.services import DocumentError

from .helpers import PNG, issued, ready_case

pytestmark = pytest.mark.django_db


def serve(document, actor, **kwargs):
    values = {
        "method": "direct",
        "served_on": timezone.localdate(),
        "recipient": "王某某",
        "proof_name": "回证.png",
        "proof_chunks": [PNG],
    }
    return services.record_service(document, actor=actor, **{**values, **kwargs})


def test_service_in_person_files_the_proof_of_service_as_a_scan(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    document = issued(case, "stop_order", bureau)

    service = serve(document, bureau.officer)

    assert service.proof.doc_type.code == "service_proof"
    assert service.proof.sha256 and service.proof.stage == "service"
    assert AuditEntry.objects.filter(action="document.serve", case_id=case.pk).exists()


def test_electronic_service_without_consent_is_refused(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    document = issued(case, "stop_order", bureau)

    with pytest.raises(DocumentError) as refused:
        serve(document, bureau.officer, method="electronic")

    assert any("同意" in m for m in refused.value.messages)
    assert not document.services.exists()
    assert serve(
        document, bureau.officer, method="electronic", consent="当事人2026年1月5日书面确认同意"
    )


def test_service_left_at_the_residence_needs_witnesses(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    document = issued(case, "stop_order", bureau)

    with pytest.raises(DocumentError) as refused:
        serve(document, bureau.officer, method="left")

    assert any("见证人" in m for m in refused.value.messages)


def test_a_draft_is_not_served(bureau):
    from .helpers import draft

    case = ready_case(bureau, CaseState.STOPPED)
    document = draft(case, "stop_order", bureau.officer)

    with pytest.raises(DocumentError):
        serve(document, bureau.officer)
