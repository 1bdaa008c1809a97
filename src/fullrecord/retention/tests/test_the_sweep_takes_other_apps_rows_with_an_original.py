"""An original the sweep deletes takes the rows other apps keep about it (the device that
recorded it, its marked moments), or stays when one of them says why (an inspection):
each app answers through ``media.deletion``, inside the deletion's own savepoint."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from fullrecord.devices.models import FootageBinding, Mark
from fullrecord.devices.tests.helpers import footage, register
from fullrecord.media import deletion
from fullrecord.media.models import MediaItem
from fullrecord.retention import services
from fullrecord.retention.models import SweepItem

pytestmark = pytest.mark.django_db

GRACE = timedelta(days=184 + 31)


def sweep_everything_due(bureau):
    with time_machine.travel(timezone.now() + GRACE, tick=False):
        sweep = services.list_due(actor=bureau.archivist)
        services.approve(sweep, actor=bureau.archivist)
        services.approve(sweep, actor=bureau.leader)
    with time_machine.travel(timezone.now() + GRACE + timedelta(days=31), tick=False):
        services.run_due()
    return sweep


def test_footage_of_a_registered_camera_goes_with_its_binding_and_marks(
    bureau, empty_store, django_capture_on_commit_callbacks
):
    register(bureau, "DSJ-0901")
    with django_capture_on_commit_callbacks(execute=True):
        item = footage(
            bureau.officer, "DSJ-0901_a.mp4", device_number="DSJ-0901", device_time=timezone.now()
        )
    assert FootageBinding.objects.filter(item=item).exists()
    Mark.objects.create(item=item, at_seconds=0, kind="free", made_by=bureau.officer)

    sweep = sweep_everything_due(bureau)

    assert SweepItem.objects.get(sweep=sweep).outcome == SweepItem.DELETED
    assert not MediaItem.objects.filter(pk=item.pk).exists()
    assert not FootageBinding.objects.filter(item_id=item.pk).exists()
    assert not Mark.objects.filter(item_id=item.pk).exists()


def test_an_app_that_keeps_an_original_undoes_what_the_others_released(
    bureau, empty_store, django_capture_on_commit_callbacks
):
    register(bureau, "DSJ-0902")
    with django_capture_on_commit_callbacks(execute=True):
        item = footage(
            bureau.officer, "DSJ-0902_a.mp4", device_number="DSJ-0902", device_time=timezone.now()
        )

    def under_inspection(candidate) -> str:
        return "抽查评查中" if candidate.pk == item.pk else ""

    deletion.register(under_inspection)  # after devices: its release is undone
    try:
        sweep = sweep_everything_due(bureau)
    finally:
        deletion._RELEASERS.remove(under_inspection)

    entry = SweepItem.objects.get(sweep=sweep)
    assert (entry.outcome, entry.kept_reason) == (SweepItem.KEPT, "抽查评查中")
    assert MediaItem.objects.filter(pk=item.pk).exists()
    assert FootageBinding.objects.filter(item=item).exists()
