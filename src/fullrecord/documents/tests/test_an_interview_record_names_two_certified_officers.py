"""第十条第二项: 询问笔录, 现场勘验笔录 and 调查报告 name at least two officers with their
执法证号; one officer is refused with a message naming the article, nothing saved."""

from __future__ import annotations

import pytest

from fullrecord.cases.choices import CaseState
from fullrecord.documents.models import Document
from fullrecord.documents.services import DocumentError

from .helpers import draft, ready_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["interview_record", "site_inspection", "investigation_report"])
def test_one_officer_is_refused_naming_article_ten(bureau, code):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    document = draft(case, code, bureau.officer)

    with pytest.raises(DocumentError) as refused:
        document = draft(case, code, bureau.officer, officers=[bureau.officer.pk], body="问：……")

    message = " ".join(refused.value.messages)
    assert "第十条" in message
    assert "两名" in message
    stored = Document.objects.get(pk=document.pk)
    assert stored.content["officers"] == [bureau.officer.pk, bureau.officer2.pk]


def test_the_draft_is_filled_with_the_cases_certified_officers(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)

    document = draft(case, "interview_record", bureau.officer)

    assert document.content["officers"] == [bureau.officer.pk, bureau.officer2.pk]
    assert document.content["place"] == case.address


def test_an_officer_without_certificate_number_does_not_count(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING, officers=[bureau.officer, bureau.other_head])

    with pytest.raises(DocumentError) as refused:
        draft(
            case,
            "interview_record",
            bureau.officer,
            officers=[bureau.officer.pk, bureau.other_head.pk],
        )

    assert any("other_head" in m for m in refused.value.messages)


def test_an_officer_not_on_the_case_may_not_be_named(bureau, api_client):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    document = draft(case, "interview_record", bureau.officer)
    api_client.force_authenticate(bureau.officer)

    # The attacker's request: a certified officer of another section, never on the case.
    response = api_client.patch(
        f"/api/documents/{document.pk}/",
        {"content": {"officers": [bureau.officer.pk, bureau.other_officer.pk], "body": "问：……"}},
        format="json",
    )

    assert response.status_code == 400
    assert "other_officer" in response.content.decode()
    stored = Document.objects.get(pk=document.pk)
    assert stored.content["officers"] == [bureau.officer.pk, bureau.officer2.pk]
