"""第十三条: a hold names one of four reasons; held footage never falls due; releasing
needs the leader in charge; both are logged."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.media.models import RecordingSession
from fullrecord.retention import services
from fullrecord.retention.choices import HoldReason, HoldState

from .helpers import case_of, footage, link


def test_a_hold_without_a_reason_is_refused(bureau):
    item = footage(bureau.officer)
    with pytest.raises(services.RetentionError, match="four reasons"):
        services.place_hold(actor=bureau.head, reason="", item=item)
    with pytest.raises(services.RetentionError, match="explanation"):
        services.place_hold(actor=bureau.head, reason=HoldReason.OTHER, note="  ", item=item)
    assert not item.retention.held


def test_only_heads_inspectors_and_the_leader_place_holds(bureau):
    item = footage(bureau.officer)
    for user in (bureau.officer, bureau.archivist, bureau.legal, bureau.admin):
        with pytest.raises(services.RetentionError):
            services.place_hold(actor=user, reason=HoldReason.OBJECTION, item=item)


def test_held_footage_never_falls_due_until_released_by_the_leader(bureau):
    item = footage(bureau.officer)
    hold = services.place_hold(
        actor=bureau.inspector, reason=HoldReason.OBSTRUCTION, note="当事人阻碍执法", item=item
    )
    item.refresh_from_db()
    assert item.on_hold and item.retention.held
    later = timezone.now() + timedelta(days=400)
    with time_machine.travel(later, tick=False):
        services.list_due()
        assert not services.due_items().filter(pk=item.pk).exists()
    with pytest.raises(services.RetentionError):
        services.decide_release(hold, actor=bureau.inspector, approve=True)
    services.ask_release(hold, actor=bureau.head, note="复议期满，当事人未提起诉讼")
    with pytest.raises(services.RetentionError, match="leader"):
        services.decide_release(hold, actor=bureau.head, approve=True)
    item.refresh_from_db()
    assert item.on_hold  # still held while the release waits
    services.decide_release(hold, actor=bureau.leader, approve=True)
    hold.refresh_from_db()
    assert hold.state == HoldState.RELEASED
    item.refresh_from_db()
    assert not item.on_hold
    with time_machine.travel(later, tick=False):
        assert services.due_items().filter(pk=item.pk).exists()
    actions = list(
        AuditEntry.objects.filter(object_type="retention.hold", object_id=str(hold.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["retention.hold", "retention.release_asked", "retention.released"]


def test_a_hold_on_a_case_or_a_session_covers_all_its_footage(bureau):
    first, second = footage(bureau.officer), footage(bureau.officer)
    case = case_of(bureau)
    link(first, case, bureau.officer)
    services.place_hold(actor=bureau.leader, reason=HoldReason.EMERGENCY, case=case)
    first.refresh_from_db()
    assert first.on_hold
    session = RecordingSession.objects.create(
        device_number="DSJ-1", started_at=timezone.now(), ended_at=timezone.now()
    )
    second.session = session
    second.save(update_fields=["session"])
    services.place_hold(actor=bureau.head, reason=HoldReason.OBJECTION, session=session)
    second.refresh_from_db()
    assert second.on_hold


def test_a_refused_release_keeps_the_hold(bureau):
    item = footage(bureau.officer)
    hold = services.place_hold(actor=bureau.head, reason=HoldReason.OBJECTION, item=item)
    services.ask_release(hold, actor=bureau.head, note="不再需要")
    services.decide_release(hold, actor=bureau.leader, approve=False, note="信访未结")
    hold.refresh_from_db()
    assert hold.state == HoldState.ACTIVE
    item.refresh_from_db()
    assert item.on_hold
