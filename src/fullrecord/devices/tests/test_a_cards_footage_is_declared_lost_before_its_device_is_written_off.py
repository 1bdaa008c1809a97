"""第十八条第五项: a device is written off only once its storage card's footage has been
ingested or declared lost. The section head declares the footage of the checkouts still
waiting for it lost, with a reason; those windows stop waiting, the log keeps which they
were, and the inspection team finds the declaration among its findings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.devices.choices import DeviceStatus
from fullrecord.devices.models import Checkout, Device, FootageLoss
from fullrecord.devices.services import (
    DeviceError,
    checkin_device,
    declare_footage_lost,
    pending_uploads,
    report_fault,
    retire_device,
)
from fullrecord.supervision import findings

from .helpers import check_out, footage, register


def waiting(bureau, number: str) -> tuple[Device, Checkout]:
    """A camera back from a survey whose footage has not come."""
    camera = register(bureau, number)
    checkout = check_out(camera, bureau.officer, task_kind="survey").checkout
    checkin_device(checkout, actor=bureau.officer)
    return Device.objects.get(pk=camera.pk), checkout


def test_a_waiting_window_blocks_the_write_off_until_its_footage_is_declared_lost(bureau):
    camera, checkout = waiting(bureau, "DSJ-1201")
    with pytest.raises(DeviceError) as refused:
        retire_device(camera, actor=bureau.head, reason="遗失")
    assert "1" in str(refused.value)

    loss = declare_footage_lost(camera, actor=bureau.head, reason="存储卡损坏，无法读取")

    assert Checkout.objects.get(pk=checkout.pk).footage_lost == loss
    assert not pending_uploads(Checkout.objects.filter(device=camera)).exists()
    entry = AuditEntry.objects.get(action="devices.footage_lost")
    assert entry.data["reason"] == "存储卡损坏，无法读取"
    assert [c["id"] for c in entry.data["checkouts"]] == [checkout.pk]
    retire_device(camera, actor=bureau.head, reason="存储卡损坏")
    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.RETIRED


def test_a_card_whose_footage_was_ingested_needs_no_declaration(
    bureau, django_capture_on_commit_callbacks
):
    camera = register(bureau, "DSJ-1202")
    checkout = check_out(camera, bureau.officer).checkout
    with django_capture_on_commit_callbacks(execute=True):
        footage(bureau.officer, "a.mp4", device_number="DSJ-1202", device_time=timezone.now())
        checkin_device(checkout, actor=bureau.officer)

    assert not pending_uploads(Checkout.objects.filter(pk=checkout.pk)).exists()
    with pytest.raises(DeviceError):  # nothing waits, so nothing can be declared lost
        declare_footage_lost(camera, actor=bureau.head, reason="无")
    retire_device(camera, actor=bureau.head, reason="使用年限已满")
    assert not FootageLoss.objects.exists()


@pytest.mark.parametrize("persona", ["admin", "officer", "other_head", "leader"])
def test_only_the_section_head_declares_footage_lost(bureau, persona):
    camera, checkout = waiting(bureau, "DSJ-1203")

    with pytest.raises(DeviceError):
        declare_footage_lost(camera, actor=getattr(bureau, persona), reason="遗失")

    assert Checkout.objects.get(pk=checkout.pk).footage_lost is None


def test_a_declaration_needs_its_reason(bureau):
    camera, checkout = waiting(bureau, "DSJ-1204")

    with pytest.raises(DeviceError):
        declare_footage_lost(camera, actor=bureau.head, reason="")

    assert Checkout.objects.get(pk=checkout.pk).footage_lost is None


def test_a_camera_lost_in_the_field_is_declared_and_written_off_on_its_page(bureau, client):
    camera = register(bureau, "DSJ-1205")
    check_out(camera, bureau.officer, task_kind="survey")
    report_fault(camera, actor=bureau.officer, kind="lost", note="现场遗失")  # ends the window
    client.force_login(bureau.head)
    page = client.get(reverse("devices:retire", args=[camera.pk])).content.decode()
    assert 'data-testid="footage-lost-form"' in page

    refused = client.post(reverse("devices:retire", args=[camera.pk]), {"reason": "遗失"})
    assert refused.status_code == 200 and "errors" in refused.content.decode()
    client.post(
        reverse("devices:footage_lost", args=[camera.pk]), {"lost-reason": "连同存储卡遗失"}
    )
    page = client.get(reverse("devices:retire", args=[camera.pk])).content.decode()
    assert 'data-testid="card-settled"' in page
    done = client.post(reverse("devices:retire", args=[camera.pk]), {"reason": "遗失"})

    assert done.status_code == 302
    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.RETIRED
    assert camera.faults.get().state == "retired"
    assert "连同存储卡遗失" in client.get(camera.get_absolute_url()).content.decode()


def test_the_declaration_goes_through_the_api(bureau, api_client):
    camera, checkout = waiting(bureau, "DSJ-1206")
    api_client.force_authenticate(bureau.admin)
    url = f"/api/devices/{camera.pk}/footage-lost/"
    assert api_client.post(url, {"reason": "遗失"}, format="json").status_code == 404

    api_client.force_authenticate(bureau.head)
    response = api_client.post(url, {"reason": "存储卡丢失"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["checkouts"] == [checkout.pk]
    api_client.force_authenticate(bureau.inspector)
    assert [d["reason"] for d in api_client.get(url).json()] == ["存储卡丢失"]
    assert (
        api_client.get(f"/api/checkouts/{checkout.pk}/").json()["footage_lost"]
        == (response.json()["id"])
    )


def test_the_inspection_team_finds_the_declaration(bureau):
    camera, _checkout = waiting(bureau, "DSJ-1207")
    declare_footage_lost(camera, actor=bureau.head, reason="存储卡进水")
    today = timezone.localdate()

    def found(unit):
        groups = {g.key: g for g in findings.all_findings(unit, today - timedelta(days=1), today)}
        return groups["footage_lost"]

    group = found(bureau.county)
    assert group.count == 1 and group.article == "18(5)"
    assert "DSJ-1207" in group.findings[0].title and "存储卡进水" in group.findings[0].detail
    assert found(bureau.other_county).count == 0
