"""A move, its CaseTransition row, its deadlines and its audit entry commit together."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from fullrecord.audit.models import AuditEntry, AuditHead
from fullrecord.audit.services import record, verify_chain
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Case, CaseDeadline, CaseTransition
from fullrecord.cases.services import TransitionRefused, do_transition
from fullrecord.cases.workflow import TRANSITIONS

from .helpers import ready_case

# Not about records: moves need only what cases itself asks (core.testing.workflow).
pytestmark = pytest.mark.usefixtures("without_record_requirements")


def snapshot(case: Case) -> dict:
    case = Case.objects.get(pk=case.pk)
    return {
        "state": case.state,
        "filed_on": case.filed_on,
        "updated_at": case.updated_at,
        "transitions": list(CaseTransition.objects.filter(case=case).values_list("pk", flat=True)),
        "deadlines": list(CaseDeadline.objects.filter(case=case).values_list("pk", "met_at")),
        "audit": AuditEntry.objects.count(),
    }


REFUSED = [
    ("file", CaseState.STOPPED, "officer", {}),  # not the officer's move
    ("file", CaseState.INVESTIGATING, "head", {}),  # stage skipped backwards
    ("not_file", CaseState.STOPPED, "head", {"reason": ""}),  # no reason
    ("decide", CaseState.NOTIFIED, "leader", {"windows": "open"}),  # windows open
    ("request_hearing", CaseState.NOTIFIED, "officer", {"windows": "open"}),  # no date
]


@pytest.mark.parametrize(("name", "state", "persona", "extra"), REFUSED)
def test_a_refused_move_changes_nothing(bureau, name, state, persona, extra):
    extra = dict(extra)
    case = ready_case(bureau, state, windows=extra.pop("windows", "ended"))
    record("test.marker")  # so the audit chain is not empty
    before = snapshot(case)

    with pytest.raises(TransitionRefused):
        do_transition(case, name, actor=getattr(bureau, persona), **extra)

    assert snapshot(case) == before
    assert verify_chain() == []


def test_a_move_writes_its_transition_and_audit_entry(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    audit_before = AuditEntry.objects.count()

    step = do_transition(case, "file", actor=bureau.head, reason="证据确凿", today=date(2026, 3, 2))

    assert (step.from_state, step.to_state, step.actor, step.reason) == (
        CaseState.STOPPED,
        CaseState.FILED,
        bureau.head,
        "证据确凿",
    )
    entry = AuditEntry.objects.get(seq__gt=audit_before)
    assert entry.action == "case.transition"
    assert entry.actor == bureau.head
    assert entry.case_id == case.pk
    assert entry.data["transition"] == "file"
    assert (entry.data["from"], entry.data["to"]) == (CaseState.STOPPED, CaseState.FILED)
    assert entry.data["reason"] == "证据确凿"
    assert CaseDeadline.objects.get(case=case, rule__code="decision_90").due_on == date(2026, 6, 1)
    assert verify_chain() == []


def _someone_who_may(bureau, transition):
    for name in ("officer", "head", "leader", "legal", "archivist"):
        user = getattr(bureau, name)
        if user.roles & transition.roles:
            return user
    raise AssertionError(transition.name)


@pytest.mark.parametrize("transition", TRANSITIONS.values(), ids=list(TRANSITIONS))
def test_every_move_writes_one_transition_row_and_one_audit_entry(bureau, transition):
    source = transition.sources[-1]
    case = ready_case(bureau, source, windows="open" if transition.fields else "ended")
    actor = _someone_who_may(bureau, transition)
    data = {"hearing_date": timezone.localdate() + timedelta(days=60)}
    last_seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    step = do_transition(case, transition.name, actor=actor, reason="理由", data=data)

    assert list(CaseTransition.objects.filter(case=case)) == [step]
    assert (step.name, step.from_state, step.to_state) == (
        transition.name,
        source,
        transition.target,
    )
    (entry,) = AuditEntry.objects.filter(seq__gt=last_seq, action="case.transition")
    assert (entry.case_id, entry.actor, entry.data["transition"]) == (
        case.pk,
        actor,
        transition.name,
    )
    assert Case.objects.get(pk=case.pk).state == transition.target


def test_the_move_object_in_hand_is_updated(bureau):
    case = ready_case(bureau, CaseState.STOPPED)

    do_transition(case, "file", actor=bureau.head, today=date(2026, 3, 2))

    assert case.state == CaseState.FILED
    assert case.filed_on == date(2026, 3, 2)


def test_a_move_whose_audit_entry_fails_is_not_half_applied(bureau):
    """If the audit entry cannot be written, the state change and its rows roll back too."""
    case = ready_case(bureau, CaseState.STOPPED)
    record("test.marker")
    # Point the chain head back at the start: the next entry's sequence number
    # collides with an existing one and the insert fails after the state UPDATE.
    AuditHead.objects.filter(pk=1).update(seq=0)
    before = snapshot(case)

    with pytest.raises(IntegrityError):
        do_transition(case, "file", actor=bureau.head, reason="x")

    assert snapshot(case) == before
