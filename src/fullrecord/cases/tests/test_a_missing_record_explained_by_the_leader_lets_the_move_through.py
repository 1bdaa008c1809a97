"""缺失说明: the leader in charge records why a required record could not be made; the gap
then no longer blocks, the record says why, in the audit log and on the timeline. Nobody
else may, and nothing is explained that is not missing."""

from __future__ import annotations

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.audit.services import verify_chain
from fullrecord.cases import completeness, services, timeline
from fullrecord.cases.choices import CaseState
from fullrecord.cases.completeness import CompletenessError
from fullrecord.cases.models import CompletenessException

from .helpers import attempt, ready_case

pytestmark = pytest.mark.django_db

REASON = "执法记录仪电量耗尽，现场未能录像，已当场报告（第九条第六项）"


def explain(case, actor, **overrides):
    fields = {"stage": "investigation", "kind": "audiovisual", "record": "footage"}
    fields.update(overrides)
    return completeness.record_exception(case, actor=actor, reason=REASON, **fields)


@pytest.fixture
def case(bureau, records):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    records.add(case, "investigation", "written", "询问笔录")
    records.add(case, "investigation", "party", "身份证明")
    return case  # only the footage of the investigation is missing


def test_the_leaders_explanation_lets_the_move_through(bureau, case):
    assert not attempt(case, "submit_review", bureau.officer)

    explain(case, bureau.leader)
    services.do_transition(case, "submit_review", actor=bureau.officer)

    assert case.state == CaseState.LEGAL_REVIEW


def test_the_explanation_is_audited_and_the_chain_verifies(bureau, case):
    exception = explain(case, bureau.leader)

    entry = AuditEntry.objects.get(action="case.completeness_exception")
    assert entry.actor == bureau.leader and entry.case_id == case.pk
    assert entry.object_id == str(exception.pk)
    assert entry.data["reason"] == REASON and entry.data["stage"] == "investigation"
    assert verify_chain() == []


def test_the_grid_and_the_timeline_show_why(bureau, case):
    explain(case, bureau.leader)

    [cell] = completeness.grid(case).row("investigation").of_kind("audiovisual")
    assert cell.status == "excepted" and cell.exception.reason == REASON
    [item] = [i for i in timeline.build(case) if i.kind == "completeness_exception"]
    assert item.detail == REASON and item.actor == str(bureau.leader)
    assert item.stage == "investigation"


def test_the_summary_no_longer_counts_it(bureau, case):
    before = case.completeness_missing

    explain(case, bureau.leader)

    case.refresh_from_db()
    assert case.completeness_missing == before - 1


@pytest.mark.parametrize("persona", ["officer", "head", "legal", "inspector", "outsider_leader"])
def test_anyone_but_the_leader_in_charge_is_refused(bureau, case, persona):
    with pytest.raises(CompletenessError):
        explain(case, getattr(bureau, persona))

    assert not CompletenessException.objects.exists()
    assert not AuditEntry.objects.filter(action="case.completeness_exception").exists()


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"record": "询问笔录", "kind": "written"}, "present"),
        ({"record": "鉴定意见", "kind": "written"}, "optional"),
        ({"stage": "enforcement", "kind": "audiovisual"}, "stage not reached"),
        ({"record": "no-such-record"}, "unknown"),
    ],
)
def test_only_a_missing_required_record_can_be_explained(bureau, case, overrides, why):
    with pytest.raises(CompletenessError):
        explain(case, bureau.leader, **overrides)


def test_an_explanation_needs_a_reason_and_is_given_once(bureau, case):
    with pytest.raises(CompletenessError):
        completeness.record_exception(
            case,
            actor=bureau.leader,
            stage="investigation",
            kind="audiovisual",
            record="footage",
            reason="  ",
        )
    explain(case, bureau.leader)
    with pytest.raises(CompletenessError):
        explain(case, bureau.leader)
    assert CompletenessException.objects.count() == 1


def test_the_leader_explains_on_the_case_page(bureau, case, client):
    client.force_login(bureau.leader)

    response = client.post(
        f"/cases/{case.pk}/completeness/exceptions/",
        {"stage": "investigation", "kind": "audiovisual", "record": "footage", "reason": REASON},
    )

    assert response.status_code == 302
    assert CompletenessException.objects.get(case=case).recorded_by == bureau.leader


def test_the_api_lists_and_records_explanations(bureau, case, api_client):
    api_client.force_authenticate(bureau.officer)
    refused = api_client.post(
        f"/api/cases/{case.pk}/completeness/exceptions/",
        {"stage": "investigation", "kind": "audiovisual", "record": "footage", "reason": REASON},
    )
    assert refused.status_code == 400

    api_client.force_authenticate(bureau.leader)
    made = api_client.post(
        f"/api/cases/{case.pk}/completeness/exceptions/",
        {"stage": "investigation", "kind": "audiovisual", "record": "footage", "reason": REASON},
    )
    listed = api_client.get(f"/api/cases/{case.pk}/completeness/exceptions/").json()

    assert made.status_code == 201
    assert [(x["stage"], x["record"], x["reason"]) for x in listed] == [
        ("investigation", "footage", REASON)
    ]
