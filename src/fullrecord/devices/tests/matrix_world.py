"""The devices part of the endpoint matrix's world (``core/tests/endpoint_world.py``).

In section one: ``device1`` available, ``device2`` checked out by the officer for
``patrol1`` (team: officer, officer2), ``device3`` with the fault the officer reported,
``device4`` overdue for maintenance, ``device5`` back from a survey with no footage yet
(its card's footage can be declared lost); ``item1`` gets a duration so moments can be
marked. All four are of ``model1``. ``device6`` is a fixed camera of section one (an
interview room), booked by officers of its pool, its section head or the leader;
``booking1`` is officer2's booking of it, which officer2 or the section head correct or
cancel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from fullrecord.core.testing.personas import Bureau
from fullrecord.devices import services
from fullrecord.devices.choices import DeviceKind
from fullrecord.devices.models import (
    CameraBooking,
    Checkout,
    Device,
    DeviceModel,
    Fault,
    Patrol,
)
from fullrecord.media.models import MediaItem

from .helpers import check_out, register

# devices.access applied to these objects (persona names of core.testing.personas).
DEVICE1_VIEW = frozenset({"officer", "officer2", "head", "leader", "inspector", "admin"})
DEVICE1_CHECKOUT = frozenset({"officer", "officer2", "head"})  # officers of its section
DEVICE1_REPORT = DEVICE1_CHECKOUT | {"admin"}
DEVICE1_MAINTAIN = frozenset({"head", "admin"})
DEVICE4_OVERRIDE = frozenset({"head", "leader"})
CHECKOUT1_VIEW = frozenset({"officer", "head", "leader", "inspector", "admin"})
CHECKOUT1_CHECKIN = frozenset({"officer", "head"})
CHECKOUT1_CORRECT = frozenset({"head", "leader"})
FAULT1_VIEW = DEVICE1_VIEW
FAULT1_REPAIR = frozenset({"head", "admin"})
PATROL1_VIEW = frozenset({"officer", "officer2", "head", "leader", "inspector", "admin"})
PATROL_PLANNERS = frozenset({"head", "other_head", "leader", "outsider_leader"})
# The leader of the other county may set patrols, but not with this bureau's officers.
PATROL_SETTERS = PATROL_PLANNERS - {"outsider_leader"}
STATISTICS = frozenset({"head", "other_head", "leader", "inspector", "admin", "outsider_leader"})
REGISTRARS = frozenset({"admin"})
DEVICE1_EDIT = frozenset({"head", "admin"})
DEVICE1_RETIRE = frozenset({"head"})  # its section head only (第十八条第五项)
DEVICE5_DECLARE = DEVICE1_RETIRE
MODEL1_VIEW = DEVICE1_VIEW
MODEL1_INTERVAL = frozenset({"head", "admin"})
DEVICE6_BOOK = DEVICE1_CHECKOUT | DEVICE4_OVERRIDE
BOOKING1_VIEW = DEVICE1_VIEW
BOOKING1_CHANGE = frozenset({"officer2", "head"})  # who booked it, the section head


@dataclass
class DevicesWorld:
    device1: Device
    device2: Device
    device3: Device
    device4: Device
    checkout1: Checkout
    fault1: Fault
    patrol1: Patrol
    device5: Device
    model1: DeviceModel
    device6: Device | None = None
    booking1: CameraBooking | None = None


def build(b: Bureau, item1: MediaItem) -> DevicesWorld:
    device1 = register(b, "DSJ-M1")
    device2 = register(b, "DSJ-M2")
    device3 = register(b, "DSJ-M3")
    device4 = register(b, "DSJ-M4")
    Device.objects.filter(pk=device4.pk).update(maintained_at=timezone.now() - timedelta(days=400))
    now = timezone.now()
    patrol1 = services.plan_patrol(
        actor=b.head,
        area="城关镇东片",
        org_unit=b.section1,
        team=[b.officer, b.officer2],
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=8),
    )
    checkout1 = check_out(device2, b.officer, patrol=patrol1).checkout
    fault1 = services.report_fault(device3, actor=b.officer, kind="malfunction", note="无法开机")
    device5 = register(b, "DSJ-M5")
    survey = check_out(device5, b.officer, task_kind="survey").checkout
    services.checkin_device(survey, actor=b.officer)
    MediaItem.objects.filter(pk=item1.pk).update(duration=10.0)
    device6 = register(
        b, "GD-M6", kind=DeviceKind.FIXED_CAMERA, model=device1.model, location="询问室一"
    )
    # Yesterday's interview, booked by officer2 (clear of the bookings the matrix makes).
    booking1 = services.book_camera(
        device6,
        actor=b.officer2,
        task_kind="interview",
        starts_at=now - timedelta(hours=30),
        ends_at=now - timedelta(hours=29),
    )
    return DevicesWorld(
        device1=Device.objects.get(pk=device1.pk),
        device2=Device.objects.get(pk=device2.pk),
        device3=Device.objects.get(pk=device3.pk),
        device4=Device.objects.get(pk=device4.pk),
        checkout1=checkout1,
        fault1=fault1,
        patrol1=patrol1,
        device5=Device.objects.get(pk=device5.pk),
        model1=device1.model,
        device6=device6,
        booking1=booking1,
    )
