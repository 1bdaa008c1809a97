"""Pages of a fixed camera's booking: read it, correct its window or the camera clock,
cancel it. Thin, as ``views``: access helper, form, service (``bookings``), template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import access, bookings
from .forms import BookingCancelForm, BookingCorrectionForm
from .models import CameraBooking


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None)


def _page(request: HttpRequest, booking: CameraBooking, form=None, cancel_form=None):
    labels = {name: field.label for name, field in BookingCorrectionForm.base_fields.items()}
    corrections = list(booking.corrections.select_related("actor"))
    for correction in corrections:
        correction.changes = [
            (labels.get(name, name), correction.before.get(name, ""), new)
            for name, new in correction.after.items()
        ]
    may_change = booking.cancelled_at is None and access.can_change_booking(request.user, booking)
    initial = {
        "starts_at": _local(booking.starts_at),
        "ends_at": _local(booking.ends_at),
        "clock_offset": booking.clock_offset,
        "note": booking.note,
    }
    return render(
        request,
        "devices/booking_detail.html",
        {
            "booking": booking,
            "bindings": booking.bindings.select_related("item").order_by("bureau_time"),
            "corrections": corrections,
            "may_change": may_change,
            "form": form or BookingCorrectionForm(initial=initial),
            "cancel_form": cancel_form or BookingCancelForm(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the booking, its footage and corrections. POST: correct it (who booked it or
    the section head over the camera); the footage is bound again."""
    booking = access.get_booking(request.user, pk)
    if request.method != "POST":
        return _page(request, booking)
    if booking.cancelled_at is not None or not access.can_change_booking(request.user, booking):
        raise Http404
    form = BookingCorrectionForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        changes = {k: v for k, v in data.items() if getattr(booking, k) != v}
        try:
            bookings.correct_booking(booking, actor=request.user, reason=reason, changes=changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Booking corrected; the camera's footage is bound again."))
            return redirect(booking)
    return _page(request, booking, form=form)


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = access.get_booking(request.user, pk)
    if booking.cancelled_at is not None or not access.can_change_booking(request.user, booking):
        raise Http404
    form = BookingCancelForm(request.POST)
    if form.is_valid():
        try:
            bookings.cancel_booking(booking, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Booking cancelled; its footage is no longer bound to it."))
            return redirect(booking)
    return _page(request, booking, cancel_form=form)
