"""第十八条第五项: only the sweep deletes, after an archivist and the leader in charge —
two different people — approved, and after the grace period; a certificate stays in
the audit log for ever, and ``fullrecord verify`` still passes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import RoleGrant
from fullrecord.audit.models import AuditEntry
from fullrecord.audit.services import sign_tree_head
from fullrecord.media.models import MediaItem
from fullrecord.media.store import get_store
from fullrecord.retention import services
from fullrecord.retention.choices import HoldReason, SweepState
from fullrecord.retention.models import SweepItem

from .helpers import footage

LATER = timedelta(days=184)
GRACE = timedelta(days=184 + 31)


@pytest.fixture
def due(bureau, empty_store):
    items = [footage(bureau.officer, name=f"巡查{n}.mp4") for n in range(3)]
    with time_machine.travel(timezone.now() + LATER, tick=False):
        sweep = services.list_due(actor=bureau.archivist)
    return sweep, items


def test_the_same_person_twice_is_refused(bureau, due):
    sweep, _ = due
    RoleGrant.objects.create(user=bureau.archivist, role=Role.LEADER)  # one person, both roles
    with time_machine.travel(timezone.now() + GRACE, tick=False):
        services.approve(sweep, actor=bureau.archivist)
        with pytest.raises(services.RetentionError, match="another person"):
            services.approve(sweep, actor=bureau.archivist)
    sweep.refresh_from_db()
    assert sweep.state == SweepState.LISTED
    assert MediaItem.objects.count() == 3


def test_two_archivists_are_not_enough(bureau, due):
    sweep, _ = due
    other = type(bureau.archivist).objects.create_user(
        username="archivist2", password="x", org_unit=bureau.archivist.org_unit
    )
    RoleGrant.objects.create(user=other, role=Role.ARCHIVIST)
    services.approve(sweep, actor=bureau.archivist)
    with pytest.raises(services.RetentionError, match="already there"):
        services.approve(sweep, actor=other)
    for refused in (bureau.officer, bureau.head, bureau.inspector, bureau.admin):
        with pytest.raises(services.RetentionError):
            services.approve(sweep, actor=refused)


def test_nothing_is_deleted_before_the_grace_period_ends(bureau, due):
    sweep, _ = due
    with time_machine.travel(timezone.now() + LATER, tick=False):
        services.approve(sweep, actor=bureau.archivist)
        sweep = services.approve(sweep, actor=bureau.leader)
        assert sweep.state == SweepState.APPROVED
        services.run_due()
    assert MediaItem.objects.count() == 3
    with time_machine.travel(timezone.now() + GRACE, tick=False):
        services.run_due()
    sweep.refresh_from_db()
    assert sweep.state == SweepState.DONE
    assert MediaItem.objects.count() == 0


def test_approved_sweep_deletes_originals_and_leaves_a_certificate_verify_accepts(
    bureau, due, capsys, django_capture_on_commit_callbacks
):
    sweep, items = due
    held = items[0]
    with (
        time_machine.travel(timezone.now() + GRACE, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        # A hold placed after listing keeps its item out of the deletion.
        services.place_hold(actor=bureau.head, reason=HoldReason.OBJECTION, item=held)
        services.approve(sweep, actor=bureau.leader)
        sweep = services.approve(sweep, actor=bureau.archivist)
    assert sweep.state == SweepState.DONE
    assert sweep.deleted_count == 2 and sweep.kept_count == 1
    store = get_store()
    assert list(MediaItem.objects.values_list("pk", flat=True)) == [held.pk]
    for item in items[1:]:
        assert not store.exists(item.sha256)
    assert store.exists(held.sha256)
    certificate = sweep.certificate
    assert certificate.action == "retention.certificate"
    deleted = {d["sha256"]: d for d in certificate.data["deleted"]}
    assert set(deleted) == {i.sha256 for i in items[1:]}
    assert all(d["size"] == 2048 and d["rule"] == "routine" for d in deleted.values())
    assert {a["user"] for a in certificate.data["approvals"]} == {"archivist", "leader"}
    assert AuditEntry.objects.filter(action="media.deleted").count() == 2
    sign_tree_head()
    call_command("verify")
    assert "OK" in capsys.readouterr().out


def test_bytes_left_by_a_crash_after_the_commit_are_removed_later_and_verify_passes(
    bureau, due, monkeypatch, capsys
):
    sweep, items = due
    monkeypatch.setattr(services, "finish_deletions", lambda **kw: 0)  # the crash
    with time_machine.travel(timezone.now() + GRACE, tick=False):
        services.approve(sweep, actor=bureau.archivist)
        services.approve(sweep, actor=bureau.leader)
    store = get_store()
    assert all(store.exists(i.sha256) for i in items)
    assert MediaItem.objects.count() == 0
    call_command("verify")  # the bytes are gone by right: the log says so
    assert "OK" in capsys.readouterr().out
    monkeypatch.undo()
    assert services.finish_deletions() == 3
    assert not any(store.exists(i.sha256) for i in items)
    assert SweepItem.objects.filter(bytes_removed=False).count() == 0


def test_a_cancelled_sweep_deletes_nothing(bureau, due):
    sweep, _ = due
    services.approve(sweep, actor=bureau.archivist)
    services.cancel(sweep, actor=bureau.leader, reason="需复核")
    with time_machine.travel(timezone.now() + GRACE, tick=False):
        with pytest.raises(services.RetentionError):
            services.approve(sweep, actor=bureau.leader)
        services.run_due()
    assert MediaItem.objects.count() == 3
