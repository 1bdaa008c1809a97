"""第十四条 through the API: the section head or administrator logs a maintenance (battery
test, storage check, clock sync, firmware); the section head or leader lets a device
overdue for maintenance out once, and the next checkout carries that override."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from fullrecord.devices.models import Device, Maintenance, MaintenanceOverride

from .helpers import ALL_OK, register


def test_the_head_logs_a_maintenance_and_reads_the_log(bureau, api_client):
    camera = register(bureau, "DSJ-1001", firmware="V2")
    api_client.force_authenticate(bureau.head)

    response = api_client.post(
        f"/api/devices/{camera.pk}/maintenance/",
        {"battery_test": True, "clock_sync": True, "firmware": "V3", "note": "季度保养"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Device.objects.get(pk=camera.pk).firmware == "V3"
    log = api_client.get(f"/api/devices/{camera.pk}/maintenance/").json()
    assert [(e["battery_test"], e["storage_check"], e["firmware"]) for e in log] == [
        (True, False, "V3")
    ]


def test_a_maintenance_that_says_nothing_was_done_is_refused(bureau, api_client):
    camera = register(bureau, "DSJ-1002")
    api_client.force_authenticate(bureau.admin)

    response = api_client.post(f"/api/devices/{camera.pk}/maintenance/", {}, format="json")

    assert response.status_code == 400
    assert not Maintenance.objects.filter(device=camera).exists()


def test_an_officer_logs_no_maintenance(bureau, api_client):
    camera = register(bureau, "DSJ-1003")
    api_client.force_authenticate(bureau.officer)

    response = api_client.post(
        f"/api/devices/{camera.pk}/maintenance/", {"battery_test": True}, format="json"
    )

    assert response.status_code == 404
    assert not Maintenance.objects.filter(device=camera).exists()


def test_an_overdue_camera_goes_out_on_the_heads_override(bureau, api_client):
    camera = register(bureau, "DSJ-1004")
    Device.objects.filter(pk=camera.pk).update(maintained_at=timezone.now() - timedelta(days=120))
    checkout = {"task_kind": "survey", "checklist": ALL_OK}
    api_client.force_authenticate(bureau.officer)
    assert (
        api_client.post(f"/api/devices/{camera.pk}/checkout/", checkout, format="json").status_code
        == 400
    )
    assert (
        api_client.post(
            f"/api/devices/{camera.pk}/override/", {"reason": "自己批准"}, format="json"
        ).status_code
        == 404
    )

    api_client.force_authenticate(bureau.head)
    granted = api_client.post(
        f"/api/devices/{camera.pk}/override/", {"reason": "备用机均在外"}, format="json"
    )
    assert granted.status_code == 201, granted.content
    api_client.force_authenticate(bureau.officer)
    taken = api_client.post(f"/api/devices/{camera.pk}/checkout/", checkout, format="json")

    assert taken.status_code == 201, taken.content
    assert taken.json()["override_reason"] == "备用机均在外"
    assert MaintenanceOverride.objects.get(device=camera).checkout_id == taken.json()["id"]
