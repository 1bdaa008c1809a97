"""Issue 11: footage of a fixed camera (an interview room, a site) is bound to the case or
task that booked the place for that time; otherwise it is listed as linked to nothing
(第十八条第四项)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from fullrecord.audit.models import AuditEntry
from fullrecord.devices import services
from fullrecord.devices.choices import DeviceKind
from fullrecord.devices.models import CameraBooking, FootageBinding
from fullrecord.media.models import CaseMediaLink, MediaItem

from .helpers import footage, model, open_case, register

START = timezone.now().replace(microsecond=0) - timedelta(hours=6)


@pytest.fixture
def room(bureau):
    return register(
        bureau,
        "GD-0101",
        kind=DeviceKind.FIXED_CAMERA,
        model=model("海康-询问室", days=365),
        location="询问室一",
    )


def book(bureau, room, case, capture, **kwargs):
    with capture(execute=True):
        return services.book_camera(
            room,
            actor=kwargs.pop("actor", bureau.officer),
            task_kind=kwargs.pop("task_kind", "interview"),
            case=case,
            starts_at=kwargs.pop("starts_at", START),
            ends_at=kwargs.pop("ends_at", START + timedelta(hours=1)),
            **kwargs,
        )


def record_at(bureau, minutes, capture):
    with capture(execute=True):
        return footage(
            bureau.head,
            f"room-{minutes}.mp4",
            device_number="GD-0101",
            device_time=START + timedelta(minutes=minutes),
        )


def test_footage_of_a_booked_interview_is_bound_to_its_case_and_officer(
    bureau, room, django_capture_on_commit_callbacks
):
    case = open_case(bureau)
    booking = book(bureau, room, case, django_capture_on_commit_callbacks)
    inside = record_at(bureau, 30, django_capture_on_commit_callbacks)
    outside = record_at(bureau, 90, django_capture_on_commit_callbacks)

    assert FootageBinding.objects.get(item=inside).booking == booking
    inside = MediaItem.objects.get(pk=inside.pk)
    assert inside.officer == bureau.officer and not inside.unlinked
    assert CaseMediaLink.objects.filter(item=inside, case=case).exists()
    assert AuditEntry.objects.filter(action="devices.book", case_id=case.pk).exists()

    assert FootageBinding.objects.get(item=outside).booking is None
    outside = MediaItem.objects.get(pk=outside.pk)
    assert outside.unlinked and not outside.case_links.exists()
    assert list(services.unbooked_footage(room)) == [outside]


def test_footage_in_before_the_booking_is_bound_when_the_place_is_booked(
    bureau, room, django_capture_on_commit_callbacks
):
    early = record_at(bureau, 10, django_capture_on_commit_callbacks)
    assert MediaItem.objects.get(pk=early.pk).unlinked

    booking = book(bureau, room, None, django_capture_on_commit_callbacks, task_kind="survey")

    assert FootageBinding.objects.get(item=early).booking == booking
    early = MediaItem.objects.get(pk=early.pk)
    assert early.task_reference == booking.task_reference and not early.unlinked


def test_the_device_page_lists_bookings_and_the_footage_outside_them(
    bureau, room, client, django_capture_on_commit_callbacks
):
    case = open_case(bureau)
    book(bureau, room, case, django_capture_on_commit_callbacks)
    stray = record_at(bureau, 200, django_capture_on_commit_callbacks)
    client.force_login(bureau.head)
    page = client.get(f"/devices/{room.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert case.number in page and stray.original_name in page
    assert 'data-testid="booking-form"' in page


@pytest.mark.parametrize(
    ("starts", "ends", "words"),
    [(30, 120, "已被预约"), (60, 30, "结束时间须晚于")],
)
def test_a_clashing_or_backwards_booking_is_refused_in_chinese(
    bureau, room, django_capture_on_commit_callbacks, starts, ends, words
):
    book(bureau, room, None, django_capture_on_commit_callbacks, task_kind="survey")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        book(
            bureau,
            room,
            None,
            django_capture_on_commit_callbacks,
            task_kind="survey",
            starts_at=START + timedelta(minutes=starts),
            ends_at=START + timedelta(minutes=ends),
        )
    assert words in " ".join(refused.value.messages)
    assert CameraBooking.objects.count() == 1


def test_a_portable_camera_is_checked_out_not_booked(bureau, django_capture_on_commit_callbacks):
    camera = register(bureau, "DSJ-0999")
    with pytest.raises(ValidationError):
        book(bureau, camera, None, django_capture_on_commit_callbacks, task_kind="survey")


def test_bookings_through_the_api(bureau, room, api_client, django_capture_on_commit_callbacks):
    case = open_case(bureau)
    url = f"/api/devices/{room.pk}/bookings/"
    body = {
        "task_kind": "interview",
        "case_number": case.number,
        "starts_at": START.isoformat(),
        "ends_at": (START + timedelta(hours=1)).isoformat(),
    }
    api_client.force_authenticate(bureau.outsider_leader)
    assert api_client.post(url, body, format="json").status_code == 404
    api_client.force_authenticate(bureau.officer)
    with django_capture_on_commit_callbacks(execute=True):
        made = api_client.post(url, body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["case_number"] == case.number
    listed = api_client.get(url).json()
    assert [row["id"] for row in listed] == [made.json()["id"]]
