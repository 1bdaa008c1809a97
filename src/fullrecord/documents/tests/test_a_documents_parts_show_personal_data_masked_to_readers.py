"""A document's parts quote the party: whoever may draft it reads them in full; every
other reader of the case file (the inspection team here) sees the party's identity
number, address and phone masked, on the page and through the API (个人信息保护法)."""

from __future__ import annotations

import pytest

from fullrecord.cases.choices import CaseState

from .helpers import draft, ready_case

ID_NUMBER = "110101199003071234"
ADDRESS = "清河县幸福路88号3单元"
PHONE = "13800138000"
PARTY_LINE = f"王某某，身份证号{ID_NUMBER}，住{ADDRESS}，电话{PHONE}"


@pytest.fixture
def document(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    case.parties.create(
        kind="person",
        name="王某某",
        id_type="resident_id",
        id_number=ID_NUMBER,
        address=ADDRESS,
        contact=PHONE,
    )
    return draft(case, "interview_record", bureau.officer, party=PARTY_LINE)


def _in_full(text: str) -> list[str]:
    return [value for value in (ID_NUMBER, ADDRESS, PHONE) if value in text]


def test_the_drafter_reads_the_parts_in_full(bureau, client, api_client, document):
    client.force_login(bureau.officer)
    api_client.force_authenticate(bureau.officer)

    page = client.get(f"/documents/{document.pk}/").content.decode()
    answer = api_client.get(f"/api/documents/{document.pk}/").json()

    assert _in_full(page) == [ID_NUMBER, ADDRESS, PHONE]
    assert answer["content"]["party"] == PARTY_LINE


def test_an_inspector_reads_them_masked_on_the_page_and_through_the_api(
    bureau, client, api_client, document
):
    client.force_login(bureau.inspector)
    api_client.force_authenticate(bureau.inspector)

    page = client.get(f"/documents/{document.pk}/")
    one = api_client.get(f"/api/documents/{document.pk}/")
    listed = api_client.get(f"/api/cases/{document.case_id}/documents/")

    assert page.status_code == one.status_code == listed.status_code == 200
    assert _in_full(page.content.decode()) == []
    assert "110***********1234" in page.content.decode()
    party = one.json()["content"]["party"]
    assert _in_full(party) == [] and party.startswith("王某某，身份证号110***********1234")
    (entry,) = [row for row in listed.json() if row["id"] == document.pk]
    assert _in_full(entry["content"]["party"]) == []


def test_the_stored_parts_are_not_changed_by_a_masked_read(bureau, api_client, document):
    api_client.force_authenticate(bureau.inspector)
    api_client.get(f"/api/documents/{document.pk}/")

    document.refresh_from_db()
    assert document.content["party"] == PARTY_LINE
