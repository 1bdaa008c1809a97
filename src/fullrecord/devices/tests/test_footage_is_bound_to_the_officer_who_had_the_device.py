"""Footage recorded during a checkout window is bound to the officer, the task and the
case, at ingest (media's ``item_received``); a device clock off by hours is kept,
flagged, and applied: the case timeline shows the bureau's time, not the device's."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from fullrecord.cases.timeline import build
from fullrecord.devices.models import FootageBinding, UnknownNumber
from fullrecord.media.models import CaseMediaLink, MediaItem

from .helpers import check_out, footage, open_case, register


def test_footage_of_the_window_goes_to_the_holder_task_and_case_at_bureau_time(
    bureau, django_capture_on_commit_callbacks
):
    camera = register(bureau, "DSJ-0201")
    case = open_case(bureau)
    three_hours = timedelta(hours=3)
    checkout = check_out(
        camera,
        bureau.officer,
        task_kind="case",
        case=case,
        device_clock=timezone.now() + three_hours,
    ).checkout
    assert checkout.clock_flagged
    assert abs(checkout.clock_offset - three_hours.total_seconds()) < 5

    device_time = checkout.out_at + three_hours + timedelta(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        item = footage(
            bureau.head, "DSJ-0201_clip.mp4", device_number="DSJ-0201", device_time=device_time
        )

    binding = FootageBinding.objects.get(item=item)
    assert binding.checkout == checkout
    bureau_time = checkout.out_at + timedelta(minutes=10)
    assert abs((binding.bureau_time - bureau_time).total_seconds()) < 5
    item = MediaItem.objects.get(pk=item.pk)
    assert item.officer == bureau.officer  # the holder, not the uploader
    assert not item.unlinked
    assert CaseMediaLink.objects.filter(case=case, item=item).exists()

    entry = next(e for e in build(case) if e.kind == "record")
    assert abs((entry.at - bureau_time).total_seconds()) < 5  # the bureau's time …
    assert entry.extra["device_time"] == item.used_at.isoformat()  # … the device's kept beside


def test_footage_outside_any_window_is_bound_to_the_device_only(
    bureau, django_capture_on_commit_callbacks
):
    camera = register(bureau, "DSJ-0202")
    with django_capture_on_commit_callbacks(execute=True):
        item = footage(
            bureau.officer2, "late.mp4", device_number="DSJ-0202", device_time=timezone.now()
        )

    binding = FootageBinding.objects.get(item=item)
    assert binding.device == camera and binding.checkout is None
    assert MediaItem.objects.get(pk=item.pk).unlinked


def test_an_unknown_device_number_is_kept_listed_and_bound_once_registered(
    bureau, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        item = footage(
            bureau.officer, "stray.mp4", device_number="DSJ-9999", device_time=timezone.now()
        )

    unknown = UnknownNumber.objects.get(number="DSJ-9999")
    assert unknown.seen == 1 and unknown.resolved_at is None
    assert MediaItem.objects.filter(pk=item.pk).exists()  # kept
    client.force_login(bureau.admin)
    assert "DSJ-9999" in client.get("/devices/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        camera = register(bureau, "DSJ-9999")

    assert UnknownNumber.objects.get(number="DSJ-9999").resolved_at is not None
    assert FootageBinding.objects.get(item=item).device == camera
    assert 'data-testid="unknown-numbers"' not in client.get("/devices/").content.decode()


def test_a_checked_in_window_without_footage_is_pending_upload_until_it_arrives(
    bureau, django_capture_on_commit_callbacks, client
):
    from fullrecord.devices.services import checkin_device

    camera = register(bureau, "DSJ-0203")
    checkout = check_out(camera, bureau.officer).checkout
    checkout = checkin_device(checkout, actor=bureau.officer)
    client.force_login(bureau.officer)
    assert 'data-testid="pending-upload"' in client.get("/devices/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        footage(
            bureau.officer,
            "back.mp4",
            device_number="DSJ-0203",
            device_time=checkout.out_at + (checkout.in_at - checkout.out_at) / 2,
        )

    assert 'data-testid="pending-upload"' not in client.get("/devices/").content.decode()
