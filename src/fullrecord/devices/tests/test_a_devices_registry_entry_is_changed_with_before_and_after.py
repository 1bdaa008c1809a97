"""A device's registry entry (model, serial, owning section, storage, firmware, location of
a fixed camera) is changed by the administrator or the section head over it, on its page
or through the API; the log keeps the old values beside the new."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fullrecord.audit.models import AuditEntry
from fullrecord.devices.choices import DeviceKind
from fullrecord.devices.models import Device, DeviceModel
from fullrecord.devices.services import DeviceError, edit_device

from .helpers import model, register


def test_the_head_corrects_serial_storage_and_firmware_and_the_log_keeps_both(bureau):
    camera = register(bureau, "DSJ-1301", serial="SN-OLD", storage_gb=64, firmware="V2")

    edit_device(
        camera,
        actor=bureau.head,
        changes={"serial": "SN-NEW", "storage_gb": 128, "firmware": "V2"},
    )

    camera = Device.objects.get(pk=camera.pk)
    assert (camera.serial, camera.storage_gb, camera.firmware) == ("SN-NEW", 128, "V2")
    entry = AuditEntry.objects.get(action="devices.edit")
    assert entry.actor == bureau.head and entry.object_id == str(camera.pk)
    assert entry.data["before"] == {"serial": "SN-OLD", "storage_gb": "64"}
    assert entry.data["after"] == {"serial": "SN-NEW", "storage_gb": "128"}


def test_the_administrator_gives_it_to_another_section_and_another_model(bureau):
    camera = register(bureau, "DSJ-1302")
    newer = model("DSJ-V9")

    edit_device(camera, actor=bureau.admin, changes={"org_unit": bureau.section2, "model": newer})

    camera = Device.objects.get(pk=camera.pk)
    assert (camera.org_unit, camera.model) == (bureau.section2, newer)
    entry = AuditEntry.objects.get(action="devices.edit")
    assert entry.data["before"] == {"org_unit": "执法一科", "model": "DSJ-V7"}
    assert entry.data["after"] == {"org_unit": "执法二科", "model": "DSJ-V9"}


def test_a_section_head_does_not_give_a_device_away_to_another_section(bureau):
    camera = register(bureau, "DSJ-1303")

    with pytest.raises(DeviceError):
        edit_device(camera, actor=bureau.head, changes={"org_unit": bureau.section2})

    assert Device.objects.get(pk=camera.pk).org_unit == bureau.section1


@pytest.mark.parametrize("persona", ["officer", "other_head", "leader", "inspector"])
def test_others_do_not_change_it(bureau, persona):
    camera = register(bureau, "DSJ-1304", serial="SN-1")

    with pytest.raises(DeviceError):
        edit_device(camera, actor=getattr(bureau, persona), changes={"serial": "SN-2"})

    assert Device.objects.get(pk=camera.pk).serial == "SN-1"
    assert not AuditEntry.objects.filter(action="devices.edit").exists()


def test_a_model_of_another_kind_and_a_location_for_a_body_camera_are_refused(bureau):
    camera = register(bureau, "DSJ-1305")
    recorder = DeviceModel.objects.create(name="ICD-TX660", kind=DeviceKind.AUDIO_RECORDER)

    with pytest.raises(DeviceError):
        edit_device(camera, actor=bureau.admin, changes={"model": recorder})
    with pytest.raises(DeviceError):
        edit_device(camera, actor=bureau.admin, changes={"location": "询问室"})
    with pytest.raises(DeviceError):  # nothing changes
        edit_device(camera, actor=bureau.admin, changes={"serial": camera.serial})


def test_a_fixed_camera_is_moved_to_another_room(bureau):
    fixed = DeviceModel.objects.create(name="DS-2CD3T46", kind=DeviceKind.FIXED_CAMERA)
    camera = register(
        bureau, "JK-1306", kind=DeviceKind.FIXED_CAMERA, model=fixed, location="询问室一"
    )

    edit_device(camera, actor=bureau.head, changes={"location": "询问室二"})

    assert Device.objects.get(pk=camera.pk).location == "询问室二"
    assert AuditEntry.objects.get(action="devices.edit").data["before"] == {"location": "询问室一"}


def test_the_head_changes_it_on_its_page(bureau, client):
    camera = register(bureau, "DSJ-1307", serial="SN-A", firmware="V1")
    client.force_login(bureau.head)
    form = client.get(reverse("devices:edit", args=[camera.pk])).content.decode()
    assert 'name="location"' not in form  # a body camera has no location

    response = client.post(
        reverse("devices:edit", args=[camera.pk]),
        {
            "model": camera.model_id,
            "serial": "SN-B",
            "org_unit": bureau.section1.pk,
            "storage_gb": "256",
            "firmware": "V1",
        },
    )

    assert response.status_code == 302
    camera = Device.objects.get(pk=camera.pk)
    assert (camera.serial, camera.storage_gb) == ("SN-B", 256)
    assert AuditEntry.objects.get(action="devices.edit").data["after"] == {
        "serial": "SN-B",
        "storage_gb": "256",
    }


def test_the_administrator_changes_it_through_the_api(bureau, api_client):
    camera = register(bureau, "DSJ-1308", firmware="V1")
    api_client.force_authenticate(bureau.officer)
    url = f"/api/devices/{camera.pk}/"
    assert api_client.patch(url, {"firmware": "V9"}, format="json").status_code == 404

    api_client.force_authenticate(bureau.admin)
    assert api_client.patch(url, {"model": "no such"}, format="json").status_code == 400
    response = api_client.patch(
        url, {"firmware": "V2", "org_unit": bureau.section2.pk}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["firmware"], response.json()["org_unit"]) == ("V2", bureau.section2.pk)
    assert api_client.put(url, {"firmware": "V3"}, format="json").status_code == 405
