"""责令改正 (第十九条): issued, answered by the assignee, accepted or reopened, escalated when late."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.notifications.models import Notification
from fullrecord.supervision import services
from fullrecord.supervision.services import SupervisionError


def _order(world, **kwargs):
    defaults = {
        "finding": "调查取证阶段未上传现场勘验音像记录",
        "deadline": timezone.localdate() + timedelta(days=7),
        "assignee": world.bureau.officer,
    }
    return services.issue_rectification(actor=world.inspector, **{**defaults, **kwargs})


def test_the_assignee_is_told_answers_and_the_inspector_closes(world):
    b = world.bureau
    order = _order(world, case=world.cases1[0])

    assert order.number.startswith("ZG-")
    assert Notification.objects.filter(recipient=b.officer, link=order.get_absolute_url()).exists()

    services.answer_rectification(
        order, actor=b.officer, answer="已补传勘验录像", evidence=[world.items1[0]]
    )
    order.refresh_from_db()
    assert order.state == "answered" and list(order.evidence.all()) == [world.items1[0]]
    assert Notification.objects.filter(
        recipient=b.inspector, link=order.get_absolute_url()
    ).exists()

    services.judge_rectification(order, actor=b.inspector, accept=True)
    order.refresh_from_db()
    assert order.state == "closed"
    assert [s.event for s in order.steps.all()] == ["issued", "answered", "accepted"]
    assert (
        AuditEntry.objects.filter(
            action__startswith="supervision.rectification", object_id=str(order.pk)
        ).count()
        == 3
    )


def test_reopening_needs_a_note_and_sends_it_back(world):
    b = world.bureau
    order = _order(world)
    services.answer_rectification(order, actor=b.officer, answer="已整改")

    with pytest.raises(SupervisionError):
        services.judge_rectification(order, actor=b.inspector, accept=False, note="")
    services.judge_rectification(
        order, actor=b.inspector, accept=False, note="证据不足，请补充照片"
    )

    order.refresh_from_db()
    assert order.state == "open"


def test_a_section_order_is_answered_by_its_head(world):
    b = world.bureau
    order = _order(world, assignee=None, assignee_unit=b.section2)

    with pytest.raises(SupervisionError):
        services.answer_rectification(order, actor=b.other_officer, answer="已整改")
    services.answer_rectification(order, actor=b.other_head, answer="已组织培训")

    order.refresh_from_db()
    assert order.state == "answered"


def test_bad_orders_are_refused(world):
    b = world.bureau
    yesterday = timezone.localdate() - timedelta(days=1)
    for bad in (
        {"deadline": yesterday},
        {"assignee": None},
        {"assignee_unit": b.section1},  # both an officer and a section
        {"finding": "  "},
    ):
        with pytest.raises(SupervisionError):
            _order(world, **bad)
    outsider = type(b.officer).objects.filter(org_unit=b.other_county).first()
    with pytest.raises(SupervisionError):
        _order(world, assignee=outsider)
    with pytest.raises(SupervisionError):
        services.issue_rectification(
            actor=b.officer, finding="x", deadline=timezone.localdate(), assignee=b.officer2
        )


def test_an_overdue_order_goes_to_the_section_head_and_the_leader_once(world):
    order = _order(world, deadline=timezone.localdate() + timedelta(days=2))

    assert services.escalate_overdue() == 0
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        assert services.escalate_overdue() == 1
        assert services.escalate_overdue() == 0

    told = set(
        Notification.objects.filter(key=f"rectification-overdue-{order.pk}").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"head", "leader"}
    order.refresh_from_db()
    assert order.escalated_at is not None
    assert order.steps.filter(event="escalated").count() == 1


def test_the_periodic_job_is_registered():
    from fullrecord.core.periodic import JOBS

    assert "fullrecord.supervision.tasks.escalate_overdue_rectifications" in {j.task for j in JOBS}
