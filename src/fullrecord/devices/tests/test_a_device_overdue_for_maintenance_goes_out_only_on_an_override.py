"""第十四条: a device overdue for maintenance goes out only on a section head's logged
override, which one checkout uses up; logging maintenance clears the overdue state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.devices.models import Device
from fullrecord.devices.services import DeviceError, grant_override, log_maintenance

from .helpers import check_out, register


def overdue(bureau, number):
    camera = register(bureau, number)
    Device.objects.filter(pk=camera.pk).update(maintained_at=timezone.now() - timedelta(days=91))
    return Device.objects.get(pk=camera.pk)


def test_it_is_refused_then_goes_out_once_on_the_heads_override(bureau):
    camera = overdue(bureau, "DSJ-0501")
    with pytest.raises(DeviceError):
        check_out(camera, bureau.officer)

    with pytest.raises(DeviceError):
        grant_override(camera, actor=bureau.officer, reason="急用")  # not the officer's to allow
    grant_override(camera, actor=bureau.head, reason="备用机均在外，任务紧急")
    checkout = check_out(camera, bureau.officer).checkout

    assert checkout.override_by == bureau.head
    assert checkout.override_reason == "备用机均在外，任务紧急"
    assert AuditEntry.objects.filter(action="devices.override").count() == 1


def test_maintenance_logged_clears_the_overdue_state(bureau):
    camera = overdue(bureau, "DSJ-0502")
    log_maintenance(camera, actor=bureau.head, battery_test=True, clock_sync=True, firmware="V3")

    camera = Device.objects.get(pk=camera.pk)
    assert not camera.maintenance_overdue() and camera.firmware == "V3"
    assert check_out(camera, bureau.officer).checkout is not None


def test_an_officer_cannot_log_maintenance(bureau):
    camera = register(bureau, "DSJ-0503")
    with pytest.raises(DeviceError):
        log_maintenance(camera, actor=bureau.officer, battery_test=True)
