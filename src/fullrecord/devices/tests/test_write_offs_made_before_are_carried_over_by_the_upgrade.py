"""0002_retirement_and_lost_footage on a database of the previous release: a device
written off then gets who and when from its write-off step, and the windows still
waiting for footage get the declaration its section head made by writing it off."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from fullrecord.devices import services
from fullrecord.devices.models import Checkout, Device, FootageLoss

from .helpers import check_out, register

pytestmark = pytest.mark.usefixtures("every_app_migrated_afterwards")

BEFORE = [("devices", "0001_initial")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_off_of_the_previous_release_is_carried_over():
    from fullrecord.core.testing.personas import build_bureau

    bureau = build_bureau()
    camera = register(bureau, "DSJ-1401")
    window = check_out(camera, bureau.officer, task_kind="survey").checkout
    services.checkin_device(window, actor=bureau.officer)  # its footage never came
    fault = services.report_fault(camera, actor=bureau.officer, kind="lost", note="遗失")
    kept = register(bureau, "DSJ-1402")

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    # As the previous release wrote a write-off with the card "lost".
    at = timezone.now()
    old.get_model("devices", "FaultStep").objects.create(
        fault_id=fault.pk,
        from_state="reported",
        to_state="retired",
        actor_id=bureau.head.pk,
        at=at,
        note="多次寻找未果",
    )
    old.get_model("devices", "Fault").objects.filter(pk=fault.pk).update(state="retired")
    old.get_model("devices", "Device").objects.filter(pk=camera.pk).update(
        status="retired", retired_reason="多次寻找未果"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    camera = Device.objects.get(pk=camera.pk)
    assert (camera.retired_by_id, camera.retired_at) == (bureau.head.pk, at)
    loss = FootageLoss.objects.get(device=camera)
    assert (loss.declared_by_id, loss.reason) == (bureau.head.pk, "多次寻找未果")
    assert Checkout.objects.get(pk=window.pk).footage_lost == loss
    kept = Device.objects.get(pk=kept.pk)
    assert kept.retired_at is None and not FootageLoss.objects.filter(device=kept).exists()
