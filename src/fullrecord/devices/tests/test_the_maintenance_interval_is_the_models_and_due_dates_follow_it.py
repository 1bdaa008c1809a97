"""第十四条: the maintenance interval is the model's. The system administrator or a section
head with devices of the model sets it, on the maintenance page or through the API, with
the old and new value in the log; due and overdue follow at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.devices.models import Device, DeviceModel
from fullrecord.devices.services import DeviceError, set_maintenance_interval

from .helpers import check_out, model, register


def maintained_days_ago(bureau, number: str, days: int, **kwargs) -> Device:
    camera = register(bureau, number, **kwargs)
    Device.objects.filter(pk=camera.pk).update(maintained_at=timezone.now() - timedelta(days=days))
    return Device.objects.get(pk=camera.pk)


def test_the_section_head_shortens_the_interval_and_the_device_is_overdue_at_once(bureau, client):
    camera = maintained_days_ago(bureau, "DSJ-0901", 40)
    assert not camera.maintenance_overdue()

    set_maintenance_interval(camera.model, actor=bureau.head, days=30)

    camera = Device.objects.get(pk=camera.pk)
    assert camera.maintenance_overdue()
    with pytest.raises(DeviceError):  # no override: it does not go out
        check_out(camera, bureau.officer)
    entry = AuditEntry.objects.get(action="devices.interval")
    assert entry.data["before"] == {"maintenance_days": 90}
    assert entry.data["after"] == {"maintenance_days": 30}
    assert entry.actor == bureau.head

    client.force_login(bureau.officer)
    page = client.get(reverse("devices:maintenance")).content.decode()
    overdue = page.split('data-testid="overdue"')[1].split("</section>")[0]
    assert "DSJ-0901" in overdue
    listing = client.get(reverse("devices:list")).content.decode()
    assert "DSJ-0901" in listing.split('data-testid="overdue"')[1]


def test_a_longer_interval_moves_the_due_date_and_lifts_the_overdue_state(bureau):
    camera = maintained_days_ago(bureau, "DSJ-0902", 100)
    assert camera.maintenance_overdue()

    set_maintenance_interval(camera.model, actor=bureau.admin, days=180)

    camera = Device.objects.get(pk=camera.pk)
    assert not camera.maintenance_overdue()
    assert camera.maintenance_due == camera.maintained_at + timedelta(days=180)
    assert check_out(camera, bureau.officer).checkout is not None


def test_the_maintenance_page_lists_devices_due_within_thirty_days(bureau, client):
    maintained_days_ago(bureau, "DSJ-0903", 70)  # due in 20 days
    maintained_days_ago(bureau, "DSJ-0904", 10)  # due in 80 days
    client.force_login(bureau.head)

    page = client.get(reverse("devices:maintenance")).content.decode()

    due = page.split('data-testid="due"')[1].split("</section>")[0]
    assert "DSJ-0903" in due and "DSJ-0904" not in due


@pytest.mark.parametrize("persona", ["officer", "leader", "inspector", "other_head", "archivist"])
def test_who_is_neither_administrator_nor_a_head_with_its_devices_may_not_set_it(bureau, persona):
    camera = register(bureau, "DSJ-0905")

    with pytest.raises(DeviceError):
        set_maintenance_interval(camera.model, actor=getattr(bureau, persona), days=30)

    assert DeviceModel.objects.get(pk=camera.model_id).maintenance_days == 90
    assert not AuditEntry.objects.filter(action="devices.interval").exists()


def test_a_model_with_devices_in_another_bureau_is_not_set_by_this_bureaus_administrator(bureau):
    camera = register(bureau, "DSJ-0906")
    Device.objects.create(
        number="LX-0001", kind=camera.kind, model=camera.model, org_unit=bureau.other_county
    )

    with pytest.raises(DeviceError):
        set_maintenance_interval(camera.model, actor=bureau.admin, days=30)


@pytest.mark.parametrize("days", [0, -5, 3651])
def test_an_interval_out_of_range_is_refused(bureau, days):
    camera = register(bureau, "DSJ-0907")

    with pytest.raises(DeviceError):
        set_maintenance_interval(camera.model, actor=bureau.head, days=days)

    assert DeviceModel.objects.get(pk=camera.model_id).maintenance_days == 90


def test_the_head_sets_it_on_the_maintenance_page(bureau, client):
    camera = register(bureau, "DSJ-0908", model=model("DSJ-V8"))
    client.force_login(bureau.head)
    page = client.get(reverse("devices:maintenance")).content.decode()
    assert f'data-testid="interval-form-{camera.model_id}"' in page

    response = client.post(
        reverse("devices:model_interval", args=[camera.model_id]),
        {f"m{camera.model_id}-maintenance_days": "45"},
    )

    assert response.status_code == 302
    assert DeviceModel.objects.get(pk=camera.model_id).maintenance_days == 45
    client.force_login(bureau.officer)  # an officer reads the interval, without a form
    page = client.get(reverse("devices:maintenance")).content.decode()
    assert f'data-testid="interval-form-{camera.model_id}"' not in page
    assert f'data-testid="interval-{camera.model_id}">45<' in page


def test_the_administrator_sets_it_through_the_api_and_the_device_follows(bureau, api_client):
    camera = maintained_days_ago(bureau, "DSJ-0909", 60)
    api_client.force_authenticate(bureau.admin)

    response = api_client.patch(
        f"/api/device-models/{camera.model_id}/", {"maintenance_days": 45}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["maintenance_days"] == 45
    device = api_client.get(f"/api/devices/{camera.pk}/").json()
    assert device["maintenance_overdue"] is True
    assert (
        api_client.patch(
            f"/api/device-models/{camera.model_id}/", {"maintenance_days": 0}, format="json"
        ).status_code
        == 400
    )
    api_client.force_authenticate(bureau.officer)
    assert api_client.get(f"/api/device-models/{camera.model_id}/").json()["devices"] == 1
    assert (
        api_client.patch(
            f"/api/device-models/{camera.model_id}/", {"maintenance_days": 30}, format="json"
        ).status_code
        == 404
    )
    assert DeviceModel.objects.get(pk=camera.model_id).maintenance_days == 45
