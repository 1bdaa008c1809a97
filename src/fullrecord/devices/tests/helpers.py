"""Shared pieces of the devices tests: devices registered the way an administrator does."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from fullrecord.devices import services
from fullrecord.devices.choices import CheckItem, DeviceKind
from fullrecord.devices.models import Device, DeviceModel

ALL_OK = dict.fromkeys(CheckItem.values, True)


def failing(*items: str) -> dict[str, bool]:
    return {**ALL_OK, **dict.fromkeys(items, False)}


def model(name: str = "DSJ-V7", days: int = 90) -> DeviceModel:
    found, _ = DeviceModel.objects.get_or_create(
        name=name, defaults={"kind": DeviceKind.BODY_CAMERA, "maintenance_days": days}
    )
    return found


def register(bureau, number: str, *, unit=None, kind=DeviceKind.BODY_CAMERA, **kwargs) -> Device:
    device = services.register_device(
        actor=bureau.admin,
        number=number,
        kind=kind,
        model=kwargs.pop("model", None) or model(),
        org_unit=unit or bureau.section1,
        **kwargs,
    )
    # A fresh device counts as maintained today, so no test trips the overdue rule by chance.
    Device.objects.filter(pk=device.pk).update(maintained_at=timezone.now())
    return Device.objects.get(pk=device.pk)


def check_out(device, officer, *, task_kind="patrol", checklist=None, **kwargs):
    return services.checkout_device(
        device,
        actor=officer,
        task_kind=task_kind,
        checklist=checklist or ALL_OK,
        **kwargs,
    )


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def open_case(bureau, *officers):
    from fullrecord.cases import services as case_services
    from fullrecord.cases.models import Cause

    return case_services.create_case(
        actor=bureau.head,
        cause=Cause.objects.filter(active=True).order_by("pk").first(),
        source="patrol",
        org_unit=bureau.section1,
        address="清河县城关镇一号",
        officers=list(officers) or [bureau.officer, bureau.officer2],
    )


def footage(officer, name: str, *, device_number: str, device_time, data: bytes = b""):
    """A record as a docking station hands it over: the device number and the time the
    device's own clock gave it (in its file name)."""
    from fullrecord.media.tests.evidence import ingest_bytes

    body = data or f"{name} {device_time.isoformat()}".encode()
    return ingest_bytes(officer, body, name, device_number=device_number, used_at=device_time).item
