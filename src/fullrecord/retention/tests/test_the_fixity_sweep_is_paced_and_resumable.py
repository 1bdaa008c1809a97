"""第十八条第二项: the fixity sweep re-hashes every original at a set pace, continues where
it stopped after a restart, and names a changed or missing original to the archivist."""

from __future__ import annotations

import os

import pytest

from fullrecord.media.choices import FixityStatus
from fullrecord.media.models import MediaItem
from fullrecord.notifications.models import Notification
from fullrecord.retention import fixity
from fullrecord.retention.models import FixityRun

from .helpers import footage


class FakeClock:
    """Time that moves only when the sweep sleeps (or a test says so): no wall clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def items(bureau, empty_store):
    return [footage(bureau.officer, name=f"f{n}.mp4", size=1024 * 1024) for n in range(5)]


def test_a_pass_continues_where_a_killed_worker_stopped(items, settings, monkeypatch):
    settings.FULLRECORD_FIXITY_MB_PER_SECOND = 0
    first = fixity.step(start=True, limit=2)
    run = FixityRun.objects.get()
    assert (first["checked"], run.cursor) == (2, items[1].pk)

    # The next worker dies half way through an original: the cursor stays where it was.
    real = fixity.media_fixity._check_one
    monkeypatch.setattr(
        fixity.media_fixity, "_check_one", lambda *a: (_ for _ in ()).throw(SystemExit("killed"))
    )
    with pytest.raises(SystemExit):
        fixity.step()
    run.refresh_from_db()
    assert run.cursor == items[1].pk and run.checked == 2
    monkeypatch.setattr(fixity.media_fixity, "_check_one", real)

    done = fixity.step()
    run.refresh_from_db()
    assert done["finished"] and run.checked == 5 and run.finished_at is not None
    assert set(MediaItem.objects.values_list("fixity", flat=True)) == {FixityStatus.INTACT}
    assert fixity.step() == {"run": None, "checked": 0, "finished": True}  # nothing unfinished


def test_the_pace_is_kept_by_sleeping_the_time_owed(items, settings):
    settings.FULLRECORD_FIXITY_MB_PER_SECOND = 1  # one original of 1 MiB a second
    clock = FakeClock()
    fixity.step(start=True, clock=clock, sleep=clock.sleep, budget_seconds=3)
    run = FixityRun.objects.get()
    assert run.checked == 3  # three seconds of budget, one second per original
    assert clock.slept == [pytest.approx(1.0)] * 3


def test_a_changed_or_missing_original_is_named_to_the_archivist(
    bureau, items, empty_store, django_capture_on_commit_callbacks
):
    altered, missing = items[0], items[1]
    path = empty_store.local_path(altered.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(b"not the original")
    empty_store.local_path(missing.sha256).unlink()
    with django_capture_on_commit_callbacks(execute=True):
        fixity.step(start=True)
    assert MediaItem.objects.get(pk=altered.pk).fixity == FixityStatus.ALTERED
    assert MediaItem.objects.get(pk=missing.pk).fixity == FixityStatus.MISSING
    run = FixityRun.objects.get()
    assert run.failed == 2 and run.finished_at is not None
    assert Notification.objects.filter(recipient=bureau.archivist).count() >= 2
