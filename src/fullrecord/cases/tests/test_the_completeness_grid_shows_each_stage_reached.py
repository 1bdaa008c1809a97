"""The grid (第十一条): each stage the case has reached, what it expects, present or missing."""

from __future__ import annotations

import pytest

from fullrecord.cases import completeness, services
from fullrecord.cases.choices import CaseState

from .helpers import ready_case

pytestmark = pytest.mark.django_db


def statuses(case) -> dict[tuple[str, str, str], str]:
    return {
        (row.stage, cell.entry.kind, cell.entry.key): cell.status
        for row in completeness.grid(case).rows
        for cell in row.cells
    }


def test_it_lists_the_stages_reached_in_order_and_no_later_one(bureau, records):
    case = ready_case(bureau, CaseState.INVESTIGATING)

    rows = completeness.grid(case).rows

    assert [r.stage for r in rows] == ["discovery", "stopping", "filing", "investigation"]
    assert [r.current for r in rows] == [False, False, False, True]


def test_each_record_is_present_missing_or_optional(bureau, records):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    records.add(case, "stopping", "audiovisual", "footage")
    records.add(case, "investigation", "party", "身份证明")

    found = statuses(case)

    assert found[("stopping", "audiovisual", "footage")] == "present"
    assert found[("stopping", "written", "责令停止违法行为通知书")] == "missing"
    assert found[("investigation", "party", "身份证明")] == "present"
    assert found[("investigation", "written", "鉴定意见")] == "optional"
    assert ("enforcement", "audiovisual", "footage") not in found  # not reached yet


def test_the_three_columns_hold_written_audiovisual_and_party_records(bureau, records):
    case = ready_case(bureau, CaseState.INVESTIGATING)

    row = completeness.grid(case).row("investigation")

    columns = {kind: [c.entry.key for c in cells] for kind, _label, cells in row.columns}
    assert columns == {
        "written": ["询问笔录", "鉴定意见"],
        "audiovisual": ["footage"],
        "party": ["身份证明"],
    }


def test_the_stage_a_case_ended_early_in_counts_nothing_missing(bureau, records):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    records.complete(case, "discovery", "stopping", "filing")
    services.do_transition(case, "withdraw", actor=bureau.leader, reason="当事人已自行整改")

    grid = completeness.grid(case)

    assert [r.stage for r in grid.rows][-1] == "investigation"
    assert grid.missing == []
    assert case.completeness_missing == 0


def test_the_case_page_shows_the_grid_with_links(bureau, records, client):
    case = ready_case(bureau, CaseState.STOPPED)
    records.add(case, "stopping", "audiovisual", "footage")
    client.force_login(bureau.head)

    page = client.get(case.get_absolute_url()).content.decode()

    assert 'data-testid="completeness"' in page
    assert 'data-testid="cell-stopping-audiovisual-footage" data-status="present"' in page
    assert 'data-testid="cell-discovery-written-违法线索登记表" data-status="missing"' in page
    # Only the leader in charge is offered the form that explains a gap.
    assert 'data-testid="except-discovery-written-违法线索登记表"' not in page
    client.force_login(bureau.leader)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="except-discovery-written-违法线索登记表"' in page


def test_the_api_gives_the_grid_and_the_summary(bureau, records, api_client):
    case = ready_case(bureau, CaseState.STOPPED)
    records.add(case, "stopping", "audiovisual", "footage")
    api_client.force_authenticate(bureau.officer)

    body = api_client.get(f"/api/cases/{case.pk}/completeness/").json()

    assert body["summary"]["complete"] is False
    assert body["summary"]["missing"] == 2
    assert body["summary"]["missing_stages"] == ["discovery", "stopping"]
    assert body["summary"]["checked_at"]
    stopping = next(s for s in body["stages"] if s["stage"] == "stopping")
    assert stopping["current"] is True
    assert {(r["kind"], r["record"], r["status"]) for r in stopping["records"]} == {
        ("audiovisual", "footage", "present"),
        ("written", "责令停止违法行为通知书", "missing"),
    }


def test_someone_who_does_not_see_the_case_gets_404(bureau, records, api_client):
    case = ready_case(bureau, CaseState.STOPPED)
    api_client.force_authenticate(bureau.other_officer)

    assert api_client.get(f"/api/cases/{case.pk}/completeness/").status_code == 404
