"""An issued document is never edited: a correction is a new version with its reason, and
the issued one stays readable with its number, content and PDF."""

from __future__ import annotations

import pytest

from fullrecord.cases.choices import CaseState
from fullrecord.documents import services
from fullrecord.documents.choices import Status
from fullrecord.documents.services import DocumentError

from .helpers import issued, ready_case

pytestmark = pytest.mark.django_db


def test_editing_an_issued_document_is_refused(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    document = issued(case, "stop_order", bureau, body="立即停止施工")

    with pytest.raises(DocumentError) as refused:
        services.update_content(document, actor=bureau.officer, content={"body": "改了"})

    assert "更正" in refused.value.messages[0]
    document.refresh_from_db()
    assert document.content["body"] == "立即停止施工"
    assert document.frozen["body"] == "立即停止施工"


def test_a_correction_is_a_new_version_and_the_old_one_stays(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    old = issued(case, "stop_order", bureau, body="立即停止施工")

    new = services.correct(old, actor=bureau.officer, reason="地址写错")
    new = services.update_content(
        new, actor=bureau.officer, content={**new.content, "body": "立即停止施工并恢复原状"}
    )
    new = services.issue(new, actor=bureau.officer)

    old.refresh_from_db()
    assert old.status == Status.ISSUED and old.frozen["body"] == "立即停止施工"
    assert new.version == 2 and new.previous_id == old.pk and new.number != old.number
    assert new.sha256 != old.sha256


def test_a_correction_needs_a_reason(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    old = issued(case, "stop_order", bureau)

    with pytest.raises(DocumentError):
        services.correct(old, actor=bureau.officer, reason=" ")
