"""A failed item of the function check blocks the checkout, opens a fault, tells the
section head, and the officer takes a spare in the same flow (第九条第一项、第六项)."""

from __future__ import annotations

from fullrecord.audit.models import AuditEntry
from fullrecord.devices.choices import DeviceStatus, FaultKind
from fullrecord.devices.models import Checkout, Device, Fault
from fullrecord.notifications.models import Notification

from .helpers import check_out, failing, register


def test_a_failed_battery_item_opens_a_fault_and_the_spare_goes_out(bureau):
    camera = register(bureau, "DSJ-0101")
    spare = register(bureau, "DSJ-0102")

    result = check_out(camera, bureau.officer, checklist=failing("battery"))

    assert result.blocked
    fault = result.fault
    assert fault.kind == FaultKind.BATTERY and fault.reported_by == bureau.officer
    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.FAULTY
    assert not Checkout.objects.filter(device=camera).exists()
    assert Notification.objects.filter(
        recipient=bureau.head, link=fault.get_absolute_url()
    ).exists()
    assert not Notification.objects.filter(recipient=bureau.other_head).exists()
    assert AuditEntry.objects.filter(action="devices.fault", object_id=str(fault.pk)).exists()

    taken = check_out(spare, bureau.officer, replaces=fault).checkout

    assert taken.replaces == fault
    assert list(fault.spares.all()) == [taken]
    assert Fault.objects.get(pk=fault.pk).state == "reported"
