"""Issue 11: a device clock off beyond the tolerance is applied to the footage's time on
the case timeline and the record's page (placed and sorted at the bureau's time, the
device's own time named beside it); the stored record keeps what the device wrote. The
offset comes from the checkout's clock check, or for a fixed camera from its booking."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone, translation

from fullrecord.cases.timeline import build
from fullrecord.devices import services
from fullrecord.devices.choices import DeviceKind
from fullrecord.media.clock import offset_text
from fullrecord.media.models import MediaItem

from .helpers import check_out, footage, model, open_case, register

AHEAD = timedelta(hours=2, minutes=3)


def _local(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")


def _records(case) -> list:
    return [e for e in build(case) if e.kind == "record"]


def test_footage_of_a_clock_hours_ahead_sits_at_the_corrected_time_and_in_order(
    bureau, client, django_capture_on_commit_callbacks
):
    case = open_case(bureau)
    fast = register(bureau, "DSJ-0701")
    right = register(bureau, "DSJ-0702")
    fast_out = check_out(
        fast, bureau.officer, task_kind="case", case=case, device_clock=timezone.now() + AHEAD
    ).checkout
    right_out = check_out(right, bureau.officer2, task_kind="case", case=case).checkout
    assert fast_out.clock_flagged and not right_out.clock_flagged
    # Recorded ten minutes after checkout by the fast clock, thirty by the right one: by
    # the device's times the fast clock's record would come second.
    fast_device_time = (fast_out.out_at + AHEAD + timedelta(minutes=10)).replace(microsecond=0)
    right_time = (right_out.out_at + timedelta(minutes=30)).replace(microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        early = footage(
            bureau.officer, "fast.mp4", device_number="DSJ-0701", device_time=fast_device_time
        )
        late = footage(
            bureau.officer2, "right.mp4", device_number="DSJ-0702", device_time=right_time
        )

    entries = _records(case)
    assert [e.extra["media_id"] for e in entries] == [early.pk, late.pk]
    corrected = fast_device_time - timedelta(seconds=fast_out.clock_offset)
    assert entries[0].at == corrected
    assert abs((corrected - (fast_out.out_at + timedelta(minutes=10))).total_seconds()) < 2
    assert _local(fast_device_time) in entries[0].detail  # the device's own time stays
    assert offset_text(fast_out.clock_offset) in entries[0].detail
    assert offset_text(fast_out.clock_offset).startswith("+2 ")
    with translation.override("zh-hans"):
        assert "小时" in offset_text(fast_out.clock_offset)

    # The record keeps what the device wrote; the correction is derived.
    stored = MediaItem.objects.get(pk=early.pk)
    assert stored.used_at == fast_device_time

    client.force_login(bureau.officer)
    page = client.get(early.get_absolute_url()).content.decode()
    assert _local(corrected) in page
    assert 'data-testid="clock-correction"' in page
    assert _local(fast_device_time) in page


def test_a_clock_within_the_tolerance_leaves_the_footage_at_its_device_time(
    bureau, client, django_capture_on_commit_callbacks
):
    case = open_case(bureau)
    camera = register(bureau, "DSJ-0703")
    checkout = check_out(
        camera,
        bureau.officer,
        task_kind="case",
        case=case,
        device_clock=timezone.now() + timedelta(seconds=60),
    ).checkout
    assert not checkout.clock_flagged and checkout.clock_offset > 50
    device_time = (checkout.out_at + timedelta(minutes=5)).replace(microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        item = footage(bureau.officer, "ok.mp4", device_number="DSJ-0703", device_time=device_time)

    (entry,) = _records(case)
    assert entry.at == device_time
    assert "clock_offset" in entry.extra and entry.extra["clock_offset"] == 0
    client.force_login(bureau.officer)
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="clock-correction"' not in page
    assert _local(device_time) in page


def test_a_fixed_cameras_clock_read_at_booking_is_applied_to_its_footage(
    bureau, django_capture_on_commit_callbacks
):
    case = open_case(bureau)
    room = register(
        bureau,
        "GD-0701",
        kind=DeviceKind.FIXED_CAMERA,
        model=model("海康-询问室", days=365),
        location="询问室二",
    )
    start = timezone.now().replace(microsecond=0) - timedelta(hours=5)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.book_camera(
            room,
            actor=bureau.officer,
            task_kind="interview",
            case=case,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            device_clock=timezone.now() - AHEAD,  # the camera runs behind
        )
    assert booking.clock_flagged and booking.clock_offset < -7000
    # Twenty minutes into the interview by the bureau's clock: the camera wrote 2 h 3 min
    # earlier, outside the booking by its own time.
    device_time = start + timedelta(minutes=20) + timedelta(seconds=booking.clock_offset)
    with django_capture_on_commit_callbacks(execute=True):
        item = footage(bureau.head, "room.mp4", device_number="GD-0701", device_time=device_time)

    assert item.device_binding.booking == booking
    assert MediaItem.objects.get(pk=item.pk).officer == bureau.officer
    (entry,) = _records(case)
    assert entry.at == start + timedelta(minutes=20)
    assert offset_text(booking.clock_offset).startswith("-2 ")
