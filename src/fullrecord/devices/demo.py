"""The demo bureau's equipment: devices in every state, checkouts with their footage
bound (one with a device clock three minutes fast, put right by a correction), a fault
in repair, a device lost with its card (footage declared lost, then written off), one
retired from its page, one overdue for maintenance, a registry entry changed, a patrol
task and a 告知 mark, and the interview room's camera booked twice (one booking corrected,
its camera clock found slow; one cancelled). Everything through ``devices.services``, as a person would do it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from fullrecord.core.demo import populate
from fullrecord.media.models import MediaItem

from . import bookings, services
from .choices import CheckItem, DeviceKind, FaultState, MarkKind, TaskKind
from .models import Device, DeviceModel

ALL_OK = dict.fromkeys(CheckItem.values, True)


@populate
def equipment(users: dict, cases: list) -> None:
    admin, head1, head2 = users["admin"], users["head1"], users["head2"]
    officer1, officer2, officer3 = users["officer1"], users["officer2"], users["officer3"]
    sec1, sec2 = officer1.org_unit, officer3.org_unit
    now = timezone.now()

    def model(name: str, kind: str, days: int) -> DeviceModel:
        return DeviceModel.objects.get_or_create(
            name=name, defaults={"kind": kind, "maintenance_days": days}
        )[0]

    body = model("海康威视 DSJ-V7", DeviceKind.BODY_CAMERA, 90)
    handheld = model("索尼 HXR-NX80", DeviceKind.HANDHELD_CAMERA, 180)
    recorder = model("索尼 ICD-TX660", DeviceKind.AUDIO_RECORDER, 180)
    fixed = model("海康威视 DS-2CD3T46", DeviceKind.FIXED_CAMERA, 365)
    station = model("执法记录仪采集站 ZD-8", DeviceKind.DOCKING_STATION, 365)

    def device(number, kind, dmodel, unit, **extra) -> Device:
        made = services.register_device(
            actor=admin,
            number=number,
            kind=kind,
            model=dmodel,
            org_unit=unit,
            serial=f"SN{number.replace('-', '')}2026",
            storage_gb=extra.pop("storage_gb", 64),
            firmware=extra.pop("firmware", "V2.1.7"),
            **extra,
        )
        services.log_maintenance(
            made,
            actor=admin,
            battery_test=True,
            storage_check=True,
            clock_sync=True,
            note="入库检查",
        )
        return Device.objects.get(pk=made.pk)

    cam107 = device("DSJ-0107", DeviceKind.BODY_CAMERA, body, sec1)
    cam108 = device("DSJ-0108", DeviceKind.BODY_CAMERA, body, sec1)
    cam109 = device("DSJ-0109", DeviceKind.BODY_CAMERA, body, sec1)
    device("DSJ-0110", DeviceKind.BODY_CAMERA, body, sec1)
    device("DSJ-0111", DeviceKind.BODY_CAMERA, body, sec1)
    device("DSJ-0113", DeviceKind.BODY_CAMERA, body, sec1)
    cam201 = device("DSJ-0201", DeviceKind.BODY_CAMERA, body, sec2)
    cam202 = device("DSJ-0202", DeviceKind.BODY_CAMERA, body, sec2)
    device("DSJ-0203", DeviceKind.BODY_CAMERA, body, sec2)
    sx = device("SX-0301", DeviceKind.HANDHELD_CAMERA, handheld, sec1, storage_gb=128)
    device("LY-0401", DeviceKind.AUDIO_RECORDER, recorder, sec1, storage_gb=16)
    room = device(
        "JK-0501", DeviceKind.FIXED_CAMERA, fixed, sec1, location="执法一中队询问室", storage_gb=0
    )
    device(
        "CJZ-01",
        DeviceKind.DOCKING_STATION,
        station,
        sec1.parent,
        location="大队装备室",
        storage_gb=4000,
    )

    # Overdue for maintenance: the handheld camera was last seen to 200 days ago.
    Device.objects.filter(pk=sx.pk).update(maintained_at=now - timedelta(days=200))

    # The demo footage of DSJ-0107 (core/demo_media.py), recorded twenty days ago for case
    # 3: its checkout is entered now and put right by the section head, with the device
    # clock three minutes fast, so its footage is bound and shown at the bureau's time.
    case = cases[2]
    items = list(MediaItem.objects.filter(device_number="DSJ-0107").order_by("used_at"))
    checkout = services.checkout_device(
        cam107,
        actor=officer1,
        task_kind=TaskKind.CASE,
        case=case,
        checklist=ALL_OK,
        device_clock=now + timedelta(minutes=3),
        battery=96,
    ).checkout
    checkout = services.checkin_device(checkout, actor=officer1, battery=61, storage_free=72)
    if items:
        first = items[0].used_at
        services.correct_checkout(
            checkout,
            actor=head1,
            reason="现场领用未及时登记，按领用登记簿补录",
            changes={
                "out_at": first - timedelta(minutes=30),
                "in_at": first + timedelta(hours=3),
            },
        )
        for item in items:
            services.bind_item(item.pk)
        services.add_mark(
            MediaItem.objects.get(pk=items[0].pk),
            actor=officer1,
            at_seconds=0.5,
            kind=MarkKind.NOTICE,
            note="已告知当事人正在录音录像",
        )

    # Out now, on today's patrol.
    patrol = services.plan_patrol(
        actor=head1,
        area="城关镇东片（东关村至王官庄）",
        org_unit=sec1,
        team=[officer1, officer2],
        starts_at=now - timedelta(hours=2),
        ends_at=now + timedelta(hours=6),
        note="重点巡查耕地占用",
    )
    services.checkout_device(
        cam108,
        actor=officer2,
        task_kind=TaskKind.PATROL,
        patrol=patrol,
        checklist=ALL_OK,
        battery=100,
    )

    # Faulty: the battery failed its check this morning; the officer took a spare.
    blocked = services.checkout_device(
        cam109,
        actor=officer1,
        task_kind=TaskKind.PATROL,
        patrol=patrol,
        checklist={**ALL_OK, "battery": False},
    )
    spare = Device.objects.get(number="DSJ-0113")
    services.checkout_device(
        spare,
        actor=officer1,
        task_kind=TaskKind.PATROL,
        patrol=patrol,
        checklist=ALL_OK,
        battery=98,
        replaces=blocked.fault,
    )

    # In repair: a storage fault in section two, sent for repair by its head.
    fault = services.report_fault(cam201, actor=officer3, kind="malfunction", note="录像画面花屏")
    services.move_fault(fault, actor=head2, to_state=FaultState.IN_REPAIR, note="已送厂家维修")

    # Written off: lost on site during a survey with its card, whose footage never came;
    # the section head declares it lost (the inspectors see that), then writes it off.
    survey = services.checkout_device(
        cam202,
        actor=officer3,
        task_kind=TaskKind.SURVEY,
        task_note="王官庄违法占地现场勘查",
        checklist=ALL_OK,
        battery=90,
    ).checkout
    lost = services.report_fault(cam202, actor=officer3, kind="lost", note="现场推搡中遗失")
    assert lost.checkout == survey
    services.declare_footage_lost(
        cam202, actor=head2, reason="记录仪连同存储卡在现场遗失，多次寻找未果，该次勘查录像无法导入"
    )
    services.move_fault(
        lost, actor=head2, to_state=FaultState.RETIRED, note="多次寻找未果，按遗失报废"
    )

    # Retired from its own page: the old audio recorder, worn out, its card ingested.
    old_recorder = device("LY-0402", DeviceKind.AUDIO_RECORDER, recorder, sec2, storage_gb=8)
    services.retire_device(old_recorder, actor=head2, reason="使用年限已满，电池无法充电")

    # The interview room's camera: yesterday's questioning for case 3 was booked, began a
    # quarter of an hour late and the camera's clock was found an hour and a half slow, so
    # the booking was corrected; this afternoon's was cancelled, the party did not come.
    yesterday = timezone.localtime(now - timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    questioning = services.book_camera(
        room,
        actor=officer1,
        task_kind=TaskKind.INTERVIEW,
        case=case,
        starts_at=yesterday,
        ends_at=yesterday + timedelta(hours=1),
        note="询问当事人",
    )
    bookings.correct_booking(
        questioning,
        actor=officer1,
        reason="当事人迟到，询问推迟一刻钟开始；询问室摄像机时钟慢约一个半小时",
        changes={
            "starts_at": yesterday + timedelta(minutes=15),
            "ends_at": yesterday + timedelta(hours=1, minutes=15),
            "clock_offset": -5430.0,
        },
    )
    afternoon = timezone.localtime(now).replace(hour=15, minute=0, second=0, microsecond=0)
    missed = services.book_camera(
        room,
        actor=officer1,
        task_kind=TaskKind.INTERVIEW,
        case=case,
        starts_at=afternoon,
        ends_at=afternoon + timedelta(hours=1),
    )
    bookings.cancel_booking(missed, actor=head1, reason="当事人来电告知无法到场，另行约定")

    # The registry put right: the handheld's storage card was replaced by a larger one.
    services.edit_device(sx, actor=admin, changes={"storage_gb": 256})
