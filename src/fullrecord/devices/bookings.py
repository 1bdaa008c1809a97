"""A fixed camera's booking put right or cancelled afterwards (the write path beside
``services.book_camera``; here so that module stays under its size).

A correction moves the booking's window or sets the camera clock's offset; a cancel keeps
the booking with who cancelled it and why, and it binds nothing any more. Either way the
camera's footage around the old and new windows is bound again after the commit, exactly
as a corrected checkout's (``binding.rebind_after_commit``): what falls inside gets the
booking's officer, task and case, what falls out loses what the booking had given it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.accounts.models import User
from fullrecord.audit.services import record

from . import access
from .binding import rebind_after_commit
from .models import BookingCorrection, CameraBooking, Device
from .services import DeviceError, _as_text

CORRECTABLE = ("starts_at", "ends_at", "clock_offset", "note")


def _locked(booking: CameraBooking) -> CameraBooking:
    # The camera first, as ``book_camera`` does, so a correction and a new booking of the
    # same camera check for overlaps one after the other; then the booking row alone
    # (PostgreSQL refuses FOR UPDATE on the nullable side of a join: case, patrol).
    Device.objects.select_for_update().filter(pk=booking.device_id).first()
    return CameraBooking.objects.select_for_update().get(pk=booking.pk)


def _refuse_unless_open(actor: User, booking: CameraBooking) -> None:
    if not access.can_change_booking(actor, booking):
        raise DeviceError(_("You may not change this booking."))
    if booking.cancelled_at is not None:
        raise DeviceError(_("This booking was cancelled."))


def _window_text(booking: CameraBooking) -> str:
    start = timezone.localtime(booking.starts_at).strftime("%Y-%m-%d %H:%M")
    end = timezone.localtime(booking.ends_at).strftime("%Y-%m-%d %H:%M")
    return f"{start} – {end}"


@transaction.atomic
def correct_booking(
    booking: CameraBooking, *, actor: User, reason: str, changes: dict[str, Any]
) -> CameraBooking:
    """Put a booking's window, the camera clock's offset or its note right, with a reason.

    Only who booked it or the section head over the camera. The old and new values go
    into a correction row and the audit log; the footage is bound again after the commit.
    """
    booking = _locked(booking)
    _refuse_unless_open(actor, booking)
    if not reason.strip():
        raise DeviceError(_("Say why the booking is corrected."))
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise DeviceError(_("%(field)s cannot be corrected.") % {"field": ", ".join(unknown)})
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    old_window: tuple[datetime, datetime | None] = (booking.starts_at, booking.ends_at)
    for name, value in changes.items():
        if name in ("starts_at", "ends_at") and value is None:
            raise DeviceError(_("A booking must end after it starts."))
        if name == "note":
            value = (value or "").strip()[:200]
        if getattr(booking, name) != value:
            before[name] = _as_text(getattr(booking, name))
            after[name] = _as_text(value)
            setattr(booking, name, value)
    if not after:
        raise DeviceError(_("Nothing to correct: the values are the ones recorded."))
    if booking.ends_at <= booking.starts_at:
        raise DeviceError(_("A booking must end after it starts."))
    clash = (
        CameraBooking.objects.filter(
            device=booking.device,
            cancelled_at=None,
            starts_at__lt=booking.ends_at,
            ends_at__gt=booking.starts_at,
        )
        .exclude(pk=booking.pk)
        .first()
    )
    if clash is not None:
        raise DeviceError(
            _("The camera is booked from %(start)s to %(end)s already.")
            % {
                "start": timezone.localtime(clash.starts_at).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(clash.ends_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    booking.clock_flagged = (
        abs(booking.clock_offset) > settings.FULLRECORD_DEVICE_CLOCK_TOLERANCE_SECONDS
    )
    booking.save()
    BookingCorrection.objects.create(
        booking=booking, actor=actor, reason=reason.strip()[:500], before=before, after=after
    )
    record(
        "devices.correct_booking",
        actor=actor,
        obj=booking,
        case_id=booking.case_id,
        summary=_("Corrected booking of %(device)s (%(window)s)")
        % {"device": booking.device.number, "window": _window_text(booking)},
        data={
            "device": booking.device.number,
            "before": before,
            "after": after,
            "reason": reason.strip(),
        },
    )
    rebind_after_commit(
        booking.device,
        (booking.starts_at, booking.ends_at),
        old_window,
        bound=list(booking.bindings.values_list("item_id", flat=True)),
    )
    return booking


@transaction.atomic
def cancel_booking(booking: CameraBooking, *, actor: User, reason: str) -> CameraBooking:
    """Cancel a booking with a reason: it is kept, binds nothing, and its footage loses
    what the booking had given it (it is unlinked again unless a person linked it)."""
    booking = _locked(booking)
    _refuse_unless_open(actor, booking)
    if not reason.strip():
        raise DeviceError(_("Say why the booking is cancelled."))
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = actor
    booking.cancel_reason = reason.strip()[:500]
    booking.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    bound = list(booking.bindings.values_list("item_id", flat=True))
    record(
        "devices.cancel_booking",
        actor=actor,
        obj=booking,
        case_id=booking.case_id,
        summary=_("Cancelled booking of %(device)s (%(window)s)")
        % {"device": booking.device.number, "window": _window_text(booking)},
        data={
            "device": booking.device.number,
            "starts_at": timezone.localtime(booking.starts_at).isoformat(),
            "ends_at": timezone.localtime(booking.ends_at).isoformat(),
            "officer": str(booking.officer),
            "case": booking.case.number if booking.case_id else "",
            "reason": reason.strip(),
            "footage": bound,
        },
    )
    rebind_after_commit(booking.device, (booking.starts_at, booking.ends_at), bound=bound)
    return booking
