"""Two workers (or the scheduler and a second approval) running the same approved sweep at
once: the sweep row is locked and its state moved in the deleting transaction, so the
originals are deleted once and one certificate is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.audit.services import verify_chain
from fullrecord.core.testing.concurrency import race, threads_on_a_file
from fullrecord.core.testing.personas import build_bureau
from fullrecord.media.models import MediaItem
from fullrecord.retention import services
from fullrecord.retention.choices import SweepState
from fullrecord.retention.models import Sweep

from .helpers import footage


def _approved_sweep():
    bureau = build_bureau()
    for n in range(3):
        footage(bureau.officer, name=f"例行{n}.mp4")
    later = timezone.now() + timedelta(days=184)
    with time_machine.travel(later, tick=False):
        sweep = services.list_due(actor=bureau.archivist)
        services.approve(sweep, actor=bureau.archivist)
        services.approve(sweep, actor=bureau.leader)  # grace not over: nothing deleted yet
    return sweep


def _race(sweep_pk: int) -> list:
    when = timezone.now() + timedelta(days=184 + 31)

    def run():
        with time_machine.travel(when, tick=False):
            return services.execute_sweep(Sweep.objects.get(pk=sweep_pk))

    return race(run, run)


def _deleted_once(results, sweep_pk: int) -> None:
    assert all(isinstance(r, Sweep) for r in results), results
    sweep = Sweep.objects.get(pk=sweep_pk)
    assert sweep.state == SweepState.DONE and sweep.deleted_count == 3
    assert MediaItem.objects.count() == 0
    assert AuditEntry.objects.filter(action="media.deleted").count() == 3
    assert AuditEntry.objects.filter(action="retention.certificate").count() == 1
    assert verify_chain() == []


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_sqlite_two_sweeps_at_once_delete_once(tmp_path, empty_store):
    sweep = _approved_sweep()
    with threads_on_a_file(tmp_path / "race.sqlite3"):
        results = _race(sweep.pk)
        # Checked over a new connection: the file copy is where the race ran.
        (outcome,) = race(lambda: _deleted_once(results, sweep.pk))
        if outcome is not None:
            raise outcome


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_two_sweeps_at_once_delete_once(empty_store):
    sweep = _approved_sweep()
    _deleted_once(_race(sweep.pk), sweep.pk)
