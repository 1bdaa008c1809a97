"""Retiring or writing off a device from its own page or the API (第九条第六项): its
section head, with a reason; never while it is checked out; its open repairs close with
it; and a retired device is never checked out again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fullrecord.audit.models import AuditEntry
from fullrecord.devices.choices import DeviceStatus, FaultState
from fullrecord.devices.models import Checkout, Device, Fault
from fullrecord.devices.services import DeviceError, move_fault, report_fault, retire_device

from .helpers import ALL_OK, check_out, register


def test_the_head_retires_a_camera_and_it_never_goes_out_again(bureau, client, api_client):
    camera = register(bureau, "DSJ-1101")

    retire_device(camera, actor=bureau.head, reason="外壳破裂，无维修价值")

    camera = Device.objects.get(pk=camera.pk)
    assert camera.status == DeviceStatus.RETIRED
    assert (camera.retired_reason, camera.retired_by) == ("外壳破裂，无维修价值", bureau.head)
    assert camera.retired_at is not None
    entry = AuditEntry.objects.get(action="devices.retire")
    assert entry.object_id == str(camera.pk) and entry.data["reason"] == "外壳破裂，无维修价值"
    with pytest.raises(DeviceError):
        check_out(camera, bureau.officer)
    api_client.force_authenticate(bureau.officer)
    refused = api_client.post(
        f"/api/devices/{camera.pk}/checkout/",
        {"task_kind": "survey", "checklist": ALL_OK},
        format="json",
    )
    assert refused.status_code == 400
    client.force_login(bureau.officer)
    page = client.get(camera.get_absolute_url()).content.decode()
    assert 'data-testid="checkout"' not in page and 'data-testid="retired"' in page
    assert not Checkout.objects.filter(device=camera).exists()


@pytest.mark.parametrize("persona", ["admin", "officer", "other_head", "leader"])
def test_only_its_section_head_retires_it(bureau, persona):
    camera = register(bureau, "DSJ-1102")

    with pytest.raises(DeviceError):
        retire_device(camera, actor=getattr(bureau, persona), reason="报废")

    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.AVAILABLE


def test_a_retirement_needs_a_reason(bureau):
    camera = register(bureau, "DSJ-1103")

    with pytest.raises(DeviceError):
        retire_device(camera, actor=bureau.head, reason="  ")

    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.AVAILABLE


def test_a_device_out_in_the_field_is_not_retired(bureau):
    camera = register(bureau, "DSJ-1104")
    check_out(camera, bureau.officer)

    with pytest.raises(DeviceError):
        retire_device(camera, actor=bureau.head, reason="报废")

    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.CHECKED_OUT


def test_its_open_repair_is_closed_as_written_off(bureau):
    camera = register(bureau, "DSJ-1105")
    fault = report_fault(camera, actor=bureau.officer, kind="malfunction", note="无法开机")
    move_fault(fault, actor=bureau.admin, to_state=FaultState.IN_REPAIR, note="送修")

    retire_device(camera, actor=bureau.head, reason="厂家确认无法修复")

    fault = Fault.objects.get(pk=fault.pk)
    assert fault.state == FaultState.RETIRED and fault.closed_at is not None
    assert fault.steps.last().note == "厂家确认无法修复"
    with pytest.raises(DeviceError):  # retired already
        retire_device(camera, actor=bureau.head, reason="再次报废")


def test_the_head_retires_it_through_the_api_and_the_administrator_may_not(bureau, api_client):
    camera = register(bureau, "DSJ-1106")
    api_client.force_authenticate(bureau.admin)
    assert (
        api_client.post(
            f"/api/devices/{camera.pk}/retire/", {"reason": "报废"}, format="json"
        ).status_code
        == 404
    )

    api_client.force_authenticate(bureau.head)
    assert (
        api_client.post(f"/api/devices/{camera.pk}/retire/", {}, format="json").status_code == 400
    )
    response = api_client.post(
        f"/api/devices/{camera.pk}/retire/", {"reason": "使用年限已满"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "retired" and body["retired_by"] == bureau.head.username


def test_the_head_retires_it_on_its_page(bureau, client):
    camera = register(bureau, "DSJ-1107")
    client.force_login(bureau.head)
    assert 'data-testid="retire"' in client.get(camera.get_absolute_url()).content.decode()

    response = client.post(reverse("devices:retire", args=[camera.pk]), {"reason": "进水损坏"})

    assert response.status_code == 302
    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.RETIRED
    assert client.get(reverse("devices:retire", args=[camera.pk])).status_code == 404
