"""Repairs move reported → in repair → back in service or written off; writing off needs
the section head, a reason, and the storage card's footage ingested or declared lost
(第十八条第五项)."""

from __future__ import annotations

import pytest

from fullrecord.devices.choices import DeviceStatus, FaultState
from fullrecord.devices.models import Device, FaultStep
from fullrecord.devices.services import (
    DeviceError,
    checkin_device,
    declare_footage_lost,
    move_fault,
    report_fault,
)

from .helpers import check_out, register


def test_a_repair_goes_to_the_workshop_and_back_with_its_history(bureau):
    camera = register(bureau, "DSJ-0601")
    fault = report_fault(camera, actor=bureau.officer, kind="malfunction")

    move_fault(fault, actor=bureau.admin, to_state=FaultState.IN_REPAIR, note="送修")
    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.IN_REPAIR
    move_fault(fault, actor=bureau.head, to_state=FaultState.RESOLVED, note="已修复")

    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.AVAILABLE
    assert [s.to_state for s in FaultStep.objects.filter(fault=fault)] == [
        "reported",
        "in_repair",
        "resolved",
    ]
    with pytest.raises(DeviceError):  # closed: no further move
        move_fault(fault, actor=bureau.head, to_state=FaultState.RETIRED, note="x")


def test_a_write_off_needs_the_head_a_reason_and_the_card_settled(bureau):
    camera = register(bureau, "DSJ-0602")
    checkout = check_out(camera, bureau.officer).checkout
    checkin_device(checkout, actor=bureau.officer)  # a window with no footage yet
    fault = report_fault(camera, actor=bureau.officer, kind="lost", note="现场遗失")

    with pytest.raises(DeviceError):  # the administrator repairs but does not write off
        move_fault(fault, actor=bureau.admin, to_state=FaultState.RETIRED, note="遗失")
    with pytest.raises(DeviceError):  # no reason
        move_fault(fault, actor=bureau.head, to_state=FaultState.RETIRED)
    with pytest.raises(DeviceError):  # footage still awaited, and not declared lost
        move_fault(fault, actor=bureau.head, to_state=FaultState.RETIRED, note="遗失")
    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.FAULTY

    declare_footage_lost(camera, actor=bureau.head, reason="存储卡随设备遗失")
    move_fault(fault, actor=bureau.head, to_state=FaultState.RETIRED, note="遗失")

    camera = Device.objects.get(pk=camera.pk)
    assert camera.status == DeviceStatus.RETIRED and camera.retired_reason == "遗失"
    assert (camera.retired_by, camera.retired_at) == (bureau.head, fault.steps.last().at)
