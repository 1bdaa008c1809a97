"""Checkout (领取) after the function check and check-in (归还), each recorded."""

from __future__ import annotations

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.devices.choices import DeviceStatus
from fullrecord.devices.models import Checkout, Device
from fullrecord.devices.services import DeviceError, checkin_device

from .helpers import check_out, register


def test_the_officer_checks_a_camera_out_for_a_patrol_and_back_in(bureau):
    camera = register(bureau, "DSJ-0001")

    result = check_out(camera, bureau.officer, battery=95)

    checkout = result.checkout
    assert not result.blocked
    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.CHECKED_OUT
    assert checkout.officer == bureau.officer and checkout.battery_out == 95
    assert AuditEntry.objects.filter(action="devices.checkout", object_id=str(checkout.pk)).exists()

    checkin_device(checkout, actor=bureau.officer, battery=40, storage_free=70)

    checkout.refresh_from_db()
    assert checkout.in_at is not None and checkout.battery_in == 40
    assert checkout.storage_free_in == 70 and checkout.checked_in_by == bureau.officer
    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.AVAILABLE
    assert AuditEntry.objects.filter(action="devices.checkin").count() == 1


def test_someone_else_than_the_holder_cannot_check_it_in_without_being_section_head(bureau):
    camera = register(bureau, "DSJ-0002")
    checkout = check_out(camera, bureau.officer).checkout

    with pytest.raises(DeviceError):
        checkin_device(checkout, actor=bureau.officer2)

    assert Checkout.objects.get(pk=checkout.pk).in_at is None
    checkin_device(checkout, actor=bureau.head)  # the section head of section one
    assert Checkout.objects.get(pk=checkout.pk).checked_in_by == bureau.head


def test_the_other_sections_head_cannot_check_it_in(bureau):
    camera = register(bureau, "DSJ-0003")
    checkout = check_out(camera, bureau.officer).checkout

    with pytest.raises(DeviceError):
        checkin_device(checkout, actor=bureau.other_head)


@pytest.mark.parametrize(
    "status", [DeviceStatus.RETIRED, DeviceStatus.FAULTY, DeviceStatus.IN_REPAIR]
)
def test_a_retired_faulty_or_in_repair_device_is_not_checked_out(bureau, status):
    camera = register(bureau, f"DSJ-{status}")
    Device.objects.filter(pk=camera.pk).update(status=status)

    with pytest.raises(DeviceError) as refused:
        check_out(camera, bureau.officer)

    assert "不能领用" in str(refused.value) or "cannot be checked out" in str(refused.value)
    assert not Checkout.objects.filter(device=camera).exists()


def test_a_device_already_out_is_not_checked_out_twice(bureau):
    camera = register(bureau, "DSJ-0004")
    check_out(camera, bureau.officer)

    with pytest.raises(DeviceError):
        check_out(camera, bureau.officer2)

    assert Checkout.objects.filter(device=camera).count() == 1


def test_an_officer_of_another_section_cannot_take_the_device(bureau):
    camera = register(bureau, "DSJ-0005")

    with pytest.raises(DeviceError):
        check_out(camera, bureau.other_officer)
