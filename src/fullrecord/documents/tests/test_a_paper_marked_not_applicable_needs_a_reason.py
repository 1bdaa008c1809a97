"""An officer marks an item of a party's checklist 不适用 (the party came in person, so
there is no authorisation) with the reason: it no longer counts as missing, the grid and
the page show why and who said so, and the mark is audited. Without a reason, twice, on a
paper that is on file, or by someone who only reads the case, it is refused."""

from __future__ import annotations

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.cases import completeness
from fullrecord.cases.choices import CaseState, Stage
from fullrecord.documents import services
from fullrecord.documents.models import PaperNotApplicable
from fullrecord.documents.services import DocumentError

from .helpers import item, paper, ready_case, with_cause

pytestmark = pytest.mark.django_db

LAND = "用地批准文件或土地使用权证明"
REASON = "当事人称从未办理任何用地手续，已记入询问笔录"


@pytest.fixture
def case(bureau):
    case = with_cause(ready_case(bureau, CaseState.INVESTIGATING), "illegal-occupation")
    completeness.refresh(case)
    return case


def cell(case, party, name):
    row = completeness.grid(case).row(Stage.INVESTIGATION)
    return next(c for c in row.cells if c.entry.label == f"{party.name}·{name}")


def test_an_item_marked_not_applicable_is_no_longer_missing_and_is_audited(bureau, case):
    party = case.parties.get()
    before = case.completeness_missing

    mark = services.mark_not_applicable(
        case, party, item(LAND), actor=bureau.officer, reason=REASON
    )

    shown = cell(case, party, LAND)
    assert shown.status == "not_applicable" and not shown.missing
    assert (
        REASON in shown.entry.not_applicable and str(bureau.officer) in shown.entry.not_applicable
    )
    case.refresh_from_db()
    assert case.completeness_missing == before - 1
    entry = AuditEntry.objects.get(action="document.paper_not_applicable", object_id=str(mark.pk))
    assert entry.actor == bureau.officer and entry.data["reason"] == REASON
    assert entry.case_id == case.pk


@pytest.mark.parametrize("reason", ["", "   ", "无"])
def test_a_reason_is_needed(bureau, case, reason):
    with pytest.raises(DocumentError):
        services.mark_not_applicable(
            case, case.parties.get(), item(LAND), actor=bureau.officer, reason=reason
        )
    assert not PaperNotApplicable.objects.exists()


def test_it_is_marked_once(bureau, case):
    party = case.parties.get()
    services.mark_not_applicable(case, party, item(LAND), actor=bureau.officer, reason=REASON)

    with pytest.raises(DocumentError):
        services.mark_not_applicable(case, party, item(LAND), actor=bureau.head, reason=REASON)
    assert PaperNotApplicable.objects.count() == 1


def test_a_paper_on_file_is_not_marked_not_applicable(bureau, case):
    party = case.parties.get()
    paper(case, party, item(LAND), bureau.officer)

    with pytest.raises(DocumentError):
        services.mark_not_applicable(case, party, item(LAND), actor=bureau.officer, reason=REASON)


def test_a_paper_filed_afterwards_counts_as_present(bureau, case):
    party = case.parties.get()
    services.mark_not_applicable(case, party, item(LAND), actor=bureau.officer, reason=REASON)

    paper(case, party, item(LAND), bureau.officer)

    assert cell(case, party, LAND).status == "present"


@pytest.mark.parametrize("persona", ["inspector", "archivist", "other_officer"])
def test_those_who_only_read_or_do_not_reach_the_case_may_not(bureau, case, persona):
    with pytest.raises(DocumentError):
        services.mark_not_applicable(
            case, case.parties.get(), item(LAND), actor=getattr(bureau, persona), reason=REASON
        )
    assert not PaperNotApplicable.objects.exists()


def test_the_officer_marks_it_on_the_page_and_sees_why(client, bureau, case):
    party = case.parties.get()
    client.force_login(bureau.officer)

    response = client.post(
        f"/documents/case/{case.pk}/papers/not-applicable/",
        {"party": party.pk, "item": item(LAND).pk, "reason": REASON},
    )

    assert response.status_code == 302
    page = client.get(f"/documents/case/{case.pk}/").content.decode()
    assert f'data-testid="paper-{party.pk}-{item(LAND).pk}" data-status="not_applicable"' in page
    assert REASON in page
    grid = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"不适用：{REASON}" in grid
