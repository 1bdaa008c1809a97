"""A party's paper is filed against an item of that party's checklist, through the same
path as every scan: stored in the evidence store, hashed, audited; a file that is neither
PDF nor image is kept and flagged. Only those who file scans on the case may; an item
that is not on the party's checklist, or a party of another case, is refused."""

from __future__ import annotations

import hashlib

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.choices import CaseState
from fullrecord.documents import papers
from fullrecord.documents.choices import PARTY_PAPER, Status
from fullrecord.documents.models import Document
from fullrecord.documents.services import DocumentError
from fullrecord.media.store import get_store

from .helpers import PNG, doc_type, item, paper, ready_case, scan, unit_party, with_cause
from .world import png

pytestmark = pytest.mark.django_db

ID_CARD = "居民身份证或其他有效身份证件复印件"
LICENCE = "营业执照或统一社会信用代码证书复印件"


@pytest.fixture
def case(bureau):
    return with_cause(ready_case(bureau, CaseState.INVESTIGATING), "illegal-occupation")


def line_of(case, party, name):
    [checklist] = [c for c in papers.checklists(case) if c.party.pk == party.pk]
    return next(line for line in checklist.lines if line.item.name == name)


def test_a_paper_is_stored_hashed_and_counts_for_its_party(bureau, case):
    party = case.parties.get()

    document = paper(case, party, item(ID_CARD), bureau.officer, name="身份证.png")

    assert document.status == Status.RECEIVED and not document.flagged
    assert document.sha256 == hashlib.sha256(PNG).hexdigest()
    assert get_store().open(document.sha256).read() == PNG
    assert (document.party, document.paper_item, document.title) == (party, item(ID_CARD), ID_CARD)
    assert line_of(case, party, ID_CARD).status == papers.FILED
    entry = AuditEntry.objects.get(action="document.upload", object_id=str(document.pk))
    assert entry.data["paper_item"] == item(ID_CARD).pk and entry.data["party"] == party.pk
    assert party.name in entry.summary


def test_a_file_that_is_neither_pdf_nor_image_is_kept_and_flagged(bureau, case):
    party = case.parties.get()
    data = b"PK\x03\x04 a zip, not a scan"

    document = paper(case, party, item(ID_CARD), bureau.officer, data=data, name="证件.zip")

    assert "PDF" in document.flagged
    assert get_store().open(document.sha256).read() == data


def test_an_item_of_another_kind_of_party_is_refused(bureau, case):
    person = case.parties.get()

    with pytest.raises(DocumentError, match=person.name):
        paper(case, person, item(LICENCE), bureau.officer)
    assert not Document.objects.filter(paper_item=item(LICENCE)).exists()


def test_an_item_of_another_cause_is_refused(bureau, case):
    party = case.parties.get()

    with pytest.raises(DocumentError, match=party.name):
        paper(case, party, item("采矿许可证"), bureau.officer)


def test_a_party_of_another_case_is_refused(bureau, case):
    other = ready_case(bureau, CaseState.INVESTIGATING)

    with pytest.raises(DocumentError):
        paper(case, other.parties.get(), item(ID_CARD), bureau.officer)
    assert not case.documents.exists()


def test_two_parties_keep_their_own_papers(bureau, case):
    person = case.parties.get()
    unit = unit_party(case)

    paper(case, unit, item(LICENCE), bureau.officer)

    assert line_of(case, unit, LICENCE).status == papers.FILED
    assert line_of(case, person, ID_CARD).status == papers.MISSING


def test_the_inspector_reads_but_may_not_file(bureau, case):
    with pytest.raises(DocumentError):
        paper(case, case.parties.get(), item(ID_CARD), bureau.inspector)
    assert not case.documents.exists()


def test_the_plain_scan_form_does_not_take_party_papers(bureau, case):
    with pytest.raises(DocumentError):
        scan(case, PARTY_PAPER, bureau.officer)
    assert not doc_type(PARTY_PAPER).documents.exists()


def test_the_officer_files_a_paper_from_the_written_records_page(client, bureau, case):
    party = case.parties.get()
    client.force_login(bureau.officer)

    response = client.post(
        f"/documents/case/{case.pk}/papers/",
        {"party": party.pk, "item": item(ID_CARD).pk, "file": png("身份证.png")},
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"/documents/case/{case.pk}/#papers")
    assert case.documents.get(paper_item=item(ID_CARD), party=party).content["name"] == "身份证.png"
    page = client.get(f"/documents/case/{case.pk}/").content.decode()
    assert "身份证.png" in page


def test_a_refused_paper_is_said_on_the_page(client, bureau, case):
    client.force_login(bureau.officer)

    response = client.post(
        f"/documents/case/{case.pk}/papers/",
        {"party": case.parties.get().pk, "item": item(LICENCE).pk, "file": png()},
        follow=True,
    )

    assert f"{case.parties.get().name}的材料清单" in response.content.decode()
    assert not case.documents.exists()
