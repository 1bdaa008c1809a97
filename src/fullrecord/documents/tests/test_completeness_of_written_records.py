"""The written half of the completeness check: for every stage the case has reached, one
entry per document type, present once issued or filed; the case page lists them."""

from __future__ import annotations

import pytest

from fullrecord.cases.choices import CaseState
from fullrecord.cases.completeness import entries
from fullrecord.documents.hooks import written_records

from .helpers import draft, issued, ready_case, scan

pytestmark = pytest.mark.django_db


def by_label(case):
    return {e.label: e for e in written_records(case)}


def test_a_new_case_expects_only_the_discovery_records(bureau):
    case = ready_case(bureau, CaseState.DISCOVERED)

    found = by_label(case)

    assert set(found) == {"违法线索登记表"}
    assert not found["违法线索登记表"].present and found["违法线索登记表"].required


def test_a_draft_is_not_present_an_issued_document_is(bureau):
    case = ready_case(bureau, CaseState.DISCOVERED)
    draft(case, "clue_register", bureau.officer)
    assert not by_label(case)["违法线索登记表"].present

    document = issued(case, "clue_register", bureau)

    entry = by_label(case)["违法线索登记表"]
    assert entry.present and entry.detail == document.number and entry.url
    assert entry in entries(case)  # registered with cases.completeness


def test_papers_the_party_files_in_the_procedure_are_entries_of_their_own_kind(bureau):
    case = ready_case(bureau, CaseState.DECIDED)
    scan(case, "party_statement", bureau.officer)

    entry = by_label(case)["陈述申辩书"]

    assert entry.kind == "party" and entry.present
    assert by_label(case)["鉴定意见"].required is False


def test_the_checklist_of_party_papers_is_not_a_written_record(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)

    found = by_label(case)

    # The checklist (documents/papers.py) stands for them, per party and cause.
    assert "当事人提交材料" not in found and "当事人身份证明" not in found


def test_the_written_records_page_shows_the_grid(client, bureau):
    case = ready_case(bureau, CaseState.DISCOVERED)
    client.force_login(bureau.officer)

    page = client.get(f"/documents/case/{case.pk}/").content.decode()

    assert "违法线索登记表" in page and "缺失" in page
