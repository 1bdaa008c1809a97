"""Scans (鉴定意见, 专家论证报告, the party's papers) are stored in the evidence store and
hashed; a file that is neither PDF nor image is kept, hashed and flagged, never refused."""

from __future__ import annotations

import hashlib

import pytest

from fullrecord.cases.choices import CaseState
from fullrecord.documents.choices import Status
from fullrecord.documents.services import DocumentError
from fullrecord.media.store import get_store

from .helpers import PNG, doc_type, ready_case, scan

pytestmark = pytest.mark.django_db


def test_an_expert_opinion_scan_is_stored_with_its_hash(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)

    document = scan(case, "expert_opinion", bureau.officer)

    assert document.status == Status.RECEIVED and not document.flagged
    assert document.sha256 == hashlib.sha256(PNG).hexdigest()
    assert get_store().open(document.sha256).read() == PNG


def test_a_file_that_is_neither_pdf_nor_image_is_kept_and_flagged(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    data = b"PK\x03\x04 not a scan at all"

    document = scan(case, "expert_report", bureau.officer, data=data, name="报告.zip")

    assert document.flagged
    assert "PDF" in document.flagged
    assert get_store().open(document.sha256).read() == data


def test_a_drafted_type_is_not_uploaded(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)

    with pytest.raises(DocumentError):
        scan(case, "interview_record", bureau.officer)


def test_the_inspector_may_not_file_a_scan(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)

    with pytest.raises(DocumentError):
        scan(case, "expert_opinion", bureau.inspector)
    assert not case.documents.filter(doc_type=doc_type("expert_opinion")).exists()
