"""After 立案 a case's facts change only with a reason, and what the law fixes only
with the section head's approval; every change shows on the timeline as before → after."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.cases import changes, timeline
from fullrecord.cases.choices import CaseState, ChangeState
from fullrecord.cases.models import Case
from fullrecord.cases.services import CaseError
from fullrecord.notifications.models import Notification

from .helpers import ready_case


def test_before_filing_a_change_needs_no_reason_and_takes_effect(bureau):
    case = ready_case(bureau, CaseState.DISCOVERED)

    change = changes.change_case(case, actor=bureau.officer, changes={"address": "新地址"})

    assert change.state == ChangeState.APPLIED
    assert Case.objects.get(pk=case.pk).address == "新地址"


def test_after_filing_a_change_without_a_reason_is_refused_and_changes_nothing(bureau):
    case = ready_case(bureau, CaseState.HEARING)
    old = case.address

    with pytest.raises(CaseError, match="reason|理由"):
        changes.change_case(case, actor=bureau.officer, changes={"address": "新地址"})

    assert Case.objects.get(pk=case.pk).address == old
    assert not AuditEntry.objects.filter(action="case.edit").exists()


def test_a_plain_fact_changes_at_once_with_its_reason_on_the_timeline(bureau):
    case = ready_case(bureau, CaseState.HEARING)
    old = case.address

    changes.change_case(
        case, actor=bureau.officer, changes={"address": "城关镇二号"}, reason="门牌号写错"
    )

    assert Case.objects.get(pk=case.pk).address == "城关镇二号"
    (item,) = [i for i in timeline.build(case) if i.kind == "change"]
    assert f"{old} → 城关镇二号" in item.detail
    assert "门牌号写错" in item.detail
    entry = AuditEntry.objects.get(action="case.edit", case_id=case.pk)
    assert entry.data["reason"] == "门牌号写错"


def test_the_discovery_date_waits_for_the_section_head(bureau):
    case = ready_case(bureau, CaseState.HEARING)
    old = case.discovered_on
    new = old - timedelta(days=3)

    change = changes.change_case(
        case, actor=bureau.officer, changes={"discovered_on": new}, reason="巡查记录日期有误"
    )

    assert change.state == ChangeState.PENDING
    assert Case.objects.get(pk=case.pk).discovered_on == old
    assert AuditEntry.objects.filter(action="case.change_request", case_id=case.pk).exists()
    assert Notification.objects.filter(recipient=bureau.head, link__contains="#changes").exists()
    assert list(changes.pending_for(bureau.head)) == [change]
    assert not changes.pending_for(bureau.officer).exists()


def test_the_head_approves_and_the_change_takes_effect(bureau):
    case = ready_case(bureau, CaseState.HEARING)
    new = case.discovered_on - timedelta(days=3)
    change = changes.change_case(
        case, actor=bureau.officer, changes={"discovered_on": new}, reason="巡查记录日期有误"
    )

    changes.decide_change(change, actor=bureau.head, approve=True)

    assert Case.objects.get(pk=case.pk).discovered_on == new
    change.refresh_from_db()
    assert (change.state, change.decided_by) == (ChangeState.APPLIED, bureau.head)
    assert AuditEntry.objects.filter(action="case.change_approve", case_id=case.pk).exists()
    assert AuditEntry.objects.filter(action="case.edit", case_id=case.pk).exists()
    assert Notification.objects.filter(recipient=bureau.officer, message__contains=case.number)


def test_a_rejection_needs_a_remark_and_changes_nothing(bureau):
    case = ready_case(bureau, CaseState.HEARING)
    old = case.discovered_on
    change = changes.change_case(
        case, actor=bureau.officer, changes={"discovered_on": old - timedelta(days=1)}, reason="x"
    )

    with pytest.raises(CaseError):
        changes.decide_change(change, actor=bureau.head, approve=False)
    changes.decide_change(change, actor=bureau.head, approve=False, note="与巡查日志不符")

    assert Case.objects.get(pk=case.pk).discovered_on == old
    change.refresh_from_db()
    assert change.state == ChangeState.REJECTED


@pytest.mark.parametrize("who", ["officer", "officer2", "other_head", "legal", "inspector"])
def test_only_the_head_or_leader_of_the_case_decides(bureau, who):
    case = ready_case(bureau, CaseState.HEARING)
    change = changes.change_case(
        case,
        actor=bureau.officer,
        changes={"discovered_on": case.discovered_on - timedelta(days=1)},
        reason="x",
    )

    with pytest.raises(CaseError):
        changes.decide_change(change, actor=getattr(bureau, who), approve=True)

    change.refresh_from_db()
    assert change.state == ChangeState.PENDING


def test_a_change_is_not_approved_over_a_later_one(bureau):
    case = ready_case(bureau, CaseState.HEARING)
    change = changes.change_case(
        case,
        actor=bureau.officer,
        changes={"discovered_on": case.discovered_on - timedelta(days=1)},
        reason="x",
    )
    Case.objects.filter(pk=case.pk).update(discovered_on=case.discovered_on - timedelta(days=9))

    with pytest.raises(CaseError, match="changed since|已有变化|已变"):
        changes.decide_change(change, actor=bureau.head, approve=True)


def test_the_same_field_is_not_asked_twice_while_waiting(bureau):
    case = ready_case(bureau, CaseState.HEARING)
    day = case.discovered_on
    changes.change_case(
        case, actor=bureau.officer, changes={"discovered_on": day - timedelta(days=1)}, reason="x"
    )

    with pytest.raises(CaseError):
        changes.change_case(
            case,
            actor=bureau.officer2,
            changes={"discovered_on": day - timedelta(days=2)},
            reason="y",
        )


def test_the_heads_own_change_takes_effect_as_approved(bureau):
    case = ready_case(bureau, CaseState.HEARING)
    new = case.discovered_on - timedelta(days=2)

    change = changes.change_case(
        case, actor=bureau.head, changes={"discovered_on": new}, reason="核对卷宗"
    )

    assert (change.state, change.decided_by) == (ChangeState.APPLIED, bureau.head)
    assert Case.objects.get(pk=case.pk).discovered_on == new


def test_a_bad_value_is_refused_when_asked_not_when_approved(bureau):
    case = ready_case(bureau, CaseState.HEARING)
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(Exception) as caught:
        changes.change_case(
            case, actor=bureau.officer, changes={"discovered_on": tomorrow}, reason="x"
        )

    assert "discovered_on" in caught.value.message_dict


def test_a_partys_identity_is_corrected_with_approval(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    party = case.parties.get()
    old = party.name

    change = changes.change_party(
        party, actor=bureau.officer, changes={"name": "李四"}, reason="身份证姓名录错"
    )
    assert change.state == ChangeState.PENDING
    assert case.parties.get().name == old
    assert f"{old}·" in change.summary() and "李四" in change.summary()

    changes.decide_change(change, actor=bureau.head, approve=True)

    assert case.parties.get().name == "李四"
    assert AuditEntry.objects.filter(action="case.party_edit", case_id=case.pk).exists()


def test_a_partys_contact_changes_at_once_with_a_reason(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    party = case.parties.get()

    change = changes.change_party(
        party, actor=bureau.officer, changes={"contact": "13800000000"}, reason="新号码"
    )

    assert change.state == ChangeState.APPLIED
    assert case.parties.get().contact == "13800000000"
