"""The case shows, per party, whether its papers are complete or which are missing: on
the written-records page, in the completeness grid of the case page (one cell per party
and required item, in 调查取证), in the stored summary the case list filters on, and in
the refusal to leave 调查取证 while one is missing. Optional items never count."""

from __future__ import annotations

import pytest

from fullrecord.cases import completeness
from fullrecord.cases import services as case_services
from fullrecord.cases.choices import CaseState, Stage
from fullrecord.core.testing.factories import resident_id

from .helpers import file_every_required_paper, item, paper, ready_case, unit_party, with_cause

pytestmark = pytest.mark.django_db

ID_CARD = "居民身份证或其他有效身份证件复印件"
LAND = "用地批准文件或土地使用权证明"
LICENCE = "营业执照或统一社会信用代码证书复印件"
REPRESENTATIVE = "法定代表人（负责人）身份证明书及其身份证复印件"
AGENT = "授权委托书及受托人身份证件复印件"


@pytest.fixture
def case(bureau):
    case = with_cause(ready_case(bureau, CaseState.INVESTIGATING), "illegal-occupation")
    unit_party(case, "宏达建材有限公司")
    completeness.refresh(case)  # the factory's case was never checked
    return case


def party_cells(case) -> dict[str, str]:
    row = completeness.grid(case).row(Stage.INVESTIGATION)
    return {c.entry.label: c.status for c in row.of_kind("party")}


def test_each_required_item_of_each_party_is_a_cell_of_the_grid(bureau, case):
    person = case.parties.get(kind="person")
    paper(case, person, item(ID_CARD), bureau.officer)

    cells = party_cells(case)

    assert cells[f"{person.name}·{ID_CARD}"] == "present"
    assert cells[f"{person.name}·{LAND}"] == "missing"
    assert cells[f"宏达建材有限公司·{LICENCE}"] == "missing"
    assert cells[f"宏达建材有限公司·{REPRESENTATIVE}"] == "missing"
    assert cells[f"{person.name}·{AGENT}"] == "optional"  # asked only when there is an agent
    assert f"{person.name}·{LICENCE}" not in cells


def test_the_stored_summary_counts_the_missing_papers(bureau, case):
    case_services.add_party(
        case,
        actor=bureau.officer,
        kind="person",
        name="李某某",
        id_type="resident_id",
        id_number=resident_id(77),
    )
    case.refresh_from_db()
    before = case.completeness_missing

    paper(case, case.parties.get(name="李某某"), item(ID_CARD), bureau.officer)

    case.refresh_from_db()
    assert case.completeness_missing == before - 1
    assert Stage.INVESTIGATION in case.completeness_missing_stages


def test_a_party_added_brings_its_papers_into_the_summary(bureau, case):
    case.refresh_from_db()
    before = case.completeness_missing

    case_services.add_party(
        case,
        actor=bureau.officer,
        kind="person",
        name="赵某某",
        id_type="resident_id",
        id_number=resident_id(78),
    )

    case.refresh_from_db()
    assert case.completeness_missing == before + 2  # the ID card and the land approval


def test_leaving_the_investigation_is_refused_naming_the_missing_paper(bureau, case):
    file_every_required_paper(case, bureau.officer)
    unit = case.parties.get(kind="organisation")
    missing_before = [c.entry.label for c in completeness.blocking(case, "submit_review")]
    assert not [label for label in missing_before if "宏达建材有限公司" in label]

    case_services.add_party(
        case,
        actor=bureau.officer,
        kind="person",
        name="钱某某",
        id_type="resident_id",
        id_number=resident_id(79),
    )

    blocking = [c.entry.label for c in completeness.blocking(case, "submit_review")]
    assert f"钱某某·{ID_CARD}" in blocking and f"钱某某·{LAND}" in blocking
    assert not [label for label in blocking if unit.name in label]


def test_the_written_records_page_says_per_party_what_is_missing(client, bureau, case):
    person = case.parties.get(kind="person")
    paper(case, person, item(ID_CARD), bureau.officer)
    paper(case, person, item(LAND), bureau.officer)
    client.force_login(bureau.officer)

    page = client.get(f"/documents/case/{case.pk}/").content.decode()

    assert f'data-testid="party-complete-{person.pk}"' in page
    unit = case.parties.get(kind="organisation")
    assert f'data-testid="party-missing-{unit.pk}"' in page
    assert f"缺：{LICENCE}、{REPRESENTATIVE}、{LAND}" in page
    assert 'data-testid="papers-missing"' in page


def test_the_case_page_grid_shows_the_party_papers(client, bureau, case):
    file_every_required_paper(case, bureau.officer)
    client.force_login(bureau.officer)

    page = client.get(f"/cases/{case.pk}/").content.decode()

    person = case.parties.get(kind="person")
    key = f"paper-{item(ID_CARD).pk}-party-{person.pk}"
    assert f'data-testid="cell-investigation-party-{key}" data-status="present"' in page
    assert f"宏达建材有限公司·{LICENCE}" in page
