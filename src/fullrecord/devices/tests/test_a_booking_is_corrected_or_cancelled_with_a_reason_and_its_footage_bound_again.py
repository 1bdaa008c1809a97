"""Issue 11: a fixed camera's booking is put right (its times, the camera's clock) or
cancelled afterwards, with a reason, by who booked it or the section head; the camera's
footage is bound again exactly as a corrected checkout's, and each change is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from fullrecord.audit.models import AuditEntry
from fullrecord.devices import bookings, services
from fullrecord.devices.choices import DeviceKind
from fullrecord.devices.models import BookingCorrection, CameraBooking, FootageBinding
from fullrecord.media.models import CaseMediaLink, MediaItem

from .helpers import footage, model, open_case, register

START = timezone.now().replace(microsecond=0) - timedelta(hours=8)


@pytest.fixture
def room(bureau):
    return register(
        bureau,
        "GD-0801",
        kind=DeviceKind.FIXED_CAMERA,
        model=model("海康-询问室", days=365),
        location="询问室三",
    )


@pytest.fixture
def interview(bureau, room, django_capture_on_commit_callbacks):
    """officer2 books 0:00–1:00 for a case; footage at 0:30 (inside) and 1:20 (after)."""
    case = open_case(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.book_camera(
            room,
            actor=bureau.officer2,
            task_kind="interview",
            case=case,
            starts_at=START,
            ends_at=START + timedelta(hours=1),
        )
    items = {}
    for minutes in (30, 80):
        with django_capture_on_commit_callbacks(execute=True):
            items[minutes] = footage(
                bureau.head,
                f"room-{minutes}.mp4",
                device_number="GD-0801",
                device_time=START + timedelta(minutes=minutes),
            )
    return booking, case, items


def _item(item) -> MediaItem:
    return MediaItem.objects.get(pk=item.pk)


def test_the_booker_moves_the_end_and_exactly_the_new_windows_footage_is_bound(
    bureau, interview, api_client, django_capture_on_commit_callbacks
):
    booking, case, items = interview
    assert FootageBinding.objects.get(item=items[80]).booking is None
    api_client.force_authenticate(bureau.officer2)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_client.post(
            f"/api/camera-bookings/{booking.pk}/correction/",
            {
                "starts_at": (START + timedelta(minutes=45)).isoformat(),
                "ends_at": (START + timedelta(minutes=90)).isoformat(),
                "reason": "询问推迟开始",
            },
            format="json",
        )
    assert answer.status_code == 200, answer.content
    assert answer.json()["corrections"][0]["reason"] == "询问推迟开始"

    # 0:30 fell out: what the booking gave it is taken back; 1:20 came in.
    assert FootageBinding.objects.get(item=items[30]).booking is None
    out = _item(items[30])
    assert out.officer_id != bureau.officer2.pk
    assert not CaseMediaLink.objects.filter(case=case, item=out).exists()
    assert FootageBinding.objects.get(item=items[80]).booking == booking
    assert _item(items[80]).officer == bureau.officer2
    assert CaseMediaLink.objects.filter(case=case, item=items[80]).exists()

    correction = BookingCorrection.objects.get(booking=booking)
    assert set(correction.after) == {"starts_at", "ends_at"}
    entry = AuditEntry.objects.get(action="devices.correct_booking")
    assert entry.data["reason"] == "询问推迟开始" and entry.case_id == case.pk


def test_a_camera_clock_found_off_is_corrected_and_its_footage_moves_with_it(
    bureau, interview, django_capture_on_commit_callbacks
):
    booking, case, items = interview
    # The camera ran 50 minutes fast: what it stamped 1:20 was 0:30 by the bureau's clock.
    with django_capture_on_commit_callbacks(execute=True):
        bookings.correct_booking(
            booking, actor=bureau.head, reason="摄像机时钟快50分钟", changes={"clock_offset": 3000}
        )
    booking.refresh_from_db()
    assert booking.clock_flagged
    binding = FootageBinding.objects.get(item=items[80])
    assert binding.booking == booking
    assert binding.bureau_time == START + timedelta(minutes=30)
    assert _item(items[80]).used_at == START + timedelta(minutes=80)  # never overwritten
    assert FootageBinding.objects.get(item=items[30]).booking is None  # was -0:20


def test_the_section_head_cancels_on_the_page_and_the_footage_is_unlinked_again(
    bureau, room, interview, client, django_capture_on_commit_callbacks
):
    booking, case, items = interview
    client.force_login(bureau.head)
    page = client.get(booking.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert 'data-testid="booking-cancel-form"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/devices/bookings/{booking.pk}/cancel/", {"reason": "当事人未到场"})
    assert answer.status_code == 302

    booking.refresh_from_db()
    assert booking.cancelled_at and booking.cancelled_by == bureau.head
    assert booking.cancel_reason == "当事人未到场"
    assert FootageBinding.objects.get(item=items[30]).booking is None
    assert _item(items[30]).unlinked
    assert not CaseMediaLink.objects.filter(case=case, item=items[30]).exists()
    entry = AuditEntry.objects.get(action="devices.cancel_booking")
    assert entry.data["footage"] == [items[30].pk]
    assert list(services.unbooked_footage(room).order_by("pk")) == [items[30], items[80]]

    # The time is free again, and the cancelled booking is not changed any more.
    with django_capture_on_commit_callbacks(execute=True):
        services.book_camera(
            room,
            actor=bureau.officer,
            task_kind="survey",
            starts_at=START,
            ends_at=START + timedelta(hours=1),
        )
    with pytest.raises(ValidationError):
        bookings.correct_booking(booking, actor=bureau.head, reason="x", changes={"note": "y"})
    page = client.get(booking.get_absolute_url()).content.decode()
    assert 'data-testid="cancelled"' in page and "booking-cancel-form" not in page


@pytest.mark.parametrize("persona", ["officer", "leader", "inspector", "other_head"])
def test_no_one_else_corrects_or_cancels_and_the_api_answers_404(
    bureau, interview, api_client, persona
):
    booking, _case, _items = interview
    api_client.force_authenticate(getattr(bureau, persona))
    base = f"/api/camera-bookings/{booking.pk}"
    assert api_client.post(f"{base}/cancel/", {"reason": "x"}, format="json").status_code == 404
    fix = api_client.post(f"{base}/correction/", {"note": "x", "reason": "x"}, format="json")
    assert fix.status_code == 404
    with pytest.raises(ValidationError):
        bookings.cancel_booking(booking, actor=getattr(bureau, persona), reason="x")
    assert CameraBooking.objects.get(pk=booking.pk).cancelled_at is None


def test_refusals_read_in_chinese(bureau, interview, django_capture_on_commit_callbacks):
    booking, _case, _items = interview
    with django_capture_on_commit_callbacks(execute=True):
        other = services.book_camera(
            booking.device,
            actor=bureau.officer2,
            task_kind="survey",
            starts_at=START + timedelta(hours=2),
            ends_at=START + timedelta(hours=3),
        )
    cases = [
        (lambda: bookings.cancel_booking(booking, actor=bureau.head, reason=" "), "取消预约的理由"),
        (
            lambda: bookings.correct_booking(
                other,
                actor=bureau.head,
                reason="改时间",
                changes={"starts_at": START + timedelta(minutes=30)},
            ),
            "已被预约",
        ),
        (
            lambda: bookings.correct_booking(
                booking, actor=bureau.head, reason="改时间", changes={"ends_at": START}
            ),
            "结束时间须晚于",
        ),
    ]
    for call, words in cases:
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            call()
        assert words in " ".join(refused.value.messages)
    assert not BookingCorrection.objects.exists()
