"""0003_bookings_and_applied_binding on a database of the previous release: bindings then
did not keep what they filled in on a record; the upgrade reads it from their ``media.bind``
audit entries, so a correction afterwards takes back the binding's values and only those."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from fullrecord.devices.models import FootageBinding
from fullrecord.devices.services import checkin_device, correct_checkout

from .helpers import check_out, footage, hours, open_case, register

pytestmark = pytest.mark.usefixtures("every_app_migrated_afterwards")

BEFORE = [("devices", "0002_retirement_and_lost_footage")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_binding_of_the_previous_release_knows_what_it_applied():
    from fullrecord.core.testing.personas import build_bureau

    bureau = build_bureau()
    case = open_case(bureau)
    camera = register(bureau, "DSJ-1501")
    checkout = check_out(camera, bureau.officer, task_kind="case", case=case).checkout
    checkout = checkin_device(checkout, actor=bureau.officer)
    start = timezone.now() - hours(5)
    checkout = correct_checkout(
        checkout,
        actor=bureau.head,
        reason="补录",
        changes={"out_at": start, "in_at": start + hours(1)},
    )
    item = footage(bureau.head, "x.mp4", device_number="DSJ-1501", device_time=start + hours(0.5))
    binding = FootageBinding.objects.get(item=item)
    assert (binding.applied_officer_id, binding.applied_case_id) == (bureau.officer.pk, case.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # the previous release: no applied_* columns
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    binding = FootageBinding.objects.get(item=item)
    assert (binding.applied_officer_id, binding.applied_case_id) == (bureau.officer.pk, case.pk)
