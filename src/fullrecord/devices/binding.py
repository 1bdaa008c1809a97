"""Binding footage to the window it was recorded in: a portable device's checkout (the
holder, task and case of 领取), or a fixed camera's booking (the interview or site task
that booked the place for that time). Footage of a fixed camera outside every booking
stays unlinked (第十八条第四项).

A binding remembers what it filled in on the record (officer, task, case link). When the
window is corrected and the record falls out, or the window's holder, task or case
changes, exactly that is taken back (``media.unbind``) and the new window's applied
(``media.bind``); what a person set by hand stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fullrecord.accounts.models import User
from fullrecord.cases.models import Case
from fullrecord.media import services as media_services
from fullrecord.media.models import CaseMediaLink, MediaItem

from .choices import DeviceKind
from .models import CameraBooking, Checkout, Device, FootageBinding, UnknownNumber

# How far either side of a checkout window a device's footage is looked for when a
# checkout is corrected: a clock off by hours still finds its footage.
REBIND_MARGIN = timedelta(days=1)
# Devices write whole seconds (file names, MP4 creation_time): footage stamped in the
# second a checkout began or ended belongs to it.
CLOCK_RESOLUTION = timedelta(seconds=1)


@dataclass
class Target:
    """Whom, for what task and case a window's footage belongs to."""

    officer: User | None = None
    task_reference: str = ""
    case: Case | None = None


def _target(window: Checkout | CameraBooking | None) -> Target:
    if window is None:
        return Target()
    return Target(window.officer, window.task_reference, window.case)


def device_for_number(number: str) -> Device | None:
    from .models import DeviceAlias

    if not number:
        return None
    device = Device.objects.filter(number=number).first()
    if device is None:
        alias = DeviceAlias.objects.filter(number=number).select_related("device").first()
        device = alias.device if alias else None
    return device


def _device_time(item: MediaItem) -> datetime:
    return item.device_recorded_at or item.used_at


def window_for(device: Device, device_time: datetime) -> Checkout | None:
    """The checkout whose window holds this footage, its device clock put right."""
    candidates = Checkout.objects.filter(
        device=device, out_at__lte=device_time + REBIND_MARGIN
    ).filter(Q(in_at=None) | Q(in_at__gte=device_time - REBIND_MARGIN))
    for checkout in candidates.select_related("officer", "case", "patrol").order_by("out_at"):
        at = device_time - timedelta(seconds=checkout.applied_offset)
        if checkout.out_at - CLOCK_RESOLUTION <= at and (
            checkout.in_at is None or at <= checkout.in_at + CLOCK_RESOLUTION
        ):
            return checkout
    return None


def booking_for(device: Device, device_time: datetime) -> CameraBooking | None:
    """The (not cancelled) booking of a fixed camera whose window holds this footage, the
    camera's clock put right by the offset read for that booking."""
    candidates = CameraBooking.objects.filter(
        device=device,
        cancelled_at=None,
        starts_at__lte=device_time + REBIND_MARGIN,
        ends_at__gte=device_time - REBIND_MARGIN,
    ).select_related("officer", "case", "patrol")
    for booking in candidates.order_by("starts_at", "id"):
        at = device_time - timedelta(seconds=booking.applied_offset)
        if booking.starts_at - CLOCK_RESOLUTION <= at <= booking.ends_at + CLOCK_RESOLUTION:
            return booking
    return None


def bind_item(item_id: int, *, previous_officer_id: int | None = None) -> FootageBinding | None:
    """Bind one record to its device and the checkout window (or the booking of a fixed
    camera) it was recorded in; take back what an earlier binding applied that no longer
    holds.

    Called after an item is received or changed (media's signals), after a checkout is
    checked in or corrected and after a fixed camera is booked. An unknown device number
    is kept and listed.
    """
    item = MediaItem.objects.filter(pk=item_id).first()
    if item is None or not item.device_number:
        return None
    with transaction.atomic():
        device = device_for_number(item.device_number)
        if device is None:
            unknown, _created = UnknownNumber.objects.select_for_update().get_or_create(
                number=item.device_number[:50]
            )
            if unknown.last_item_id != item.pk:
                unknown.seen += 1
                unknown.last_item_id = item.pk
                unknown.resolved_at = None
                unknown.save()
            return None
        device_time = _device_time(item)
        checkout = booking = None
        if device.kind == DeviceKind.FIXED_CAMERA:
            booking = booking_for(device, device_time)
        else:
            checkout = window_for(device, device_time)
        window = checkout or booking
        bureau_time = device_time - timedelta(seconds=window.applied_offset if window else 0)
        binding, _created = FootageBinding.objects.select_for_update().get_or_create(
            item=item,
            defaults={
                "device": device,
                "checkout": checkout,
                "booking": booking,
                "device_time": device_time,
                "bureau_time": bureau_time,
            },
        )
        details = {
            "device": device.number,
            "checkout": checkout.pk if checkout else None,
            "booking": booking.pk if booking else None,
        }
        target = _target(window)
        _release(item, binding, target, details)
        now = (device.pk, getattr(checkout, "pk", None), getattr(booking, "pk", None), bureau_time)
        if (binding.device_id, binding.checkout_id, binding.booking_id, binding.bureau_time) != now:
            binding.device, binding.checkout, binding.booking = device, checkout, booking
            binding.device_time, binding.bureau_time = device_time, bureau_time
            binding.bound_at = timezone.now()
        if window is not None:
            _apply(item, binding, window, target, details, bureau_time, previous_officer_id)
        binding.save()
        return binding


def _release(item: MediaItem, binding: FootageBinding, target: Target, details: dict) -> None:
    """Take back what the binding applied that the (new) window no longer gives."""
    drop: dict = {}
    if binding.applied_officer_id and binding.applied_officer_id != getattr(
        target.officer, "pk", None
    ):
        drop["officer"] = binding.applied_officer
        binding.applied_officer = None
    if binding.applied_task and binding.applied_task != target.task_reference:
        drop["task_reference"] = binding.applied_task
        binding.applied_task = ""
    if binding.applied_case_id and binding.applied_case_id != getattr(target.case, "pk", None):
        drop["case"] = binding.applied_case
        binding.applied_case = None
    if drop:
        media_services.release_binding(item, source="devices.binding", data=details, **drop)


def _apply(
    item: MediaItem,
    binding: FootageBinding,
    window: Checkout | CameraBooking,
    target: Target,
    details: dict,
    bureau_time: datetime,
    previous_officer_id: int | None,
) -> None:
    """Fill in the window's officer, task and case, and remember what was filled in."""
    before = MediaItem.objects.get(pk=item.pk)
    linked_before = bool(
        target.case and CaseMediaLink.objects.filter(case=target.case, item=item).exists()
    )
    extra = (
        {"clock_offset": window.clock_offset}
        if isinstance(window, Checkout) or window.clock_flagged
        else {}
    )
    after = media_services.apply_binding(
        item,
        officer=target.officer,
        task_reference=target.task_reference,
        case=target.case,
        source="devices.checkout" if isinstance(window, Checkout) else "devices.booking",
        previous_officer=User.objects.filter(pk=previous_officer_id).first(),
        data={**details, **extra, "bureau_time": bureau_time.isoformat()},
    )
    # What a person changed since is theirs: the binding no longer claims it.
    if binding.applied_officer_id and after.officer_id != binding.applied_officer_id:
        binding.applied_officer = None
    if binding.applied_task and after.task_reference != binding.applied_task:
        binding.applied_task = ""
    if (
        binding.applied_case_id
        and not CaseMediaLink.objects.filter(case_id=binding.applied_case_id, item=item).exists()
    ):
        binding.applied_case = None
    if after.officer_id == target.officer.pk and before.officer_id != target.officer.pk:
        binding.applied_officer = target.officer
    if (
        target.task_reference
        and after.task_reference == target.task_reference
        and before.task_reference != target.task_reference
    ):
        binding.applied_task = target.task_reference
    if (
        target.case is not None
        and not linked_before
        and CaseMediaLink.objects.filter(case=target.case, item=item).exists()
    ):
        binding.applied_case = target.case


def rebind_after_commit(
    device: Device,
    *windows: tuple[datetime, datetime | None],
    bound=(),
    previous_officer: User | None = None,
) -> None:
    """Bind again, after the commit, the device's footage around these windows and the
    records bound to them (``bound``: item ids)."""
    ids = footage_around(device, *windows) | set(bound)
    previous = previous_officer.pk if previous_officer else None

    def rebind() -> None:
        for pk in sorted(ids):
            bind_item(pk, previous_officer_id=previous)

    transaction.on_commit(rebind)


def footage_around(device: Device, *windows: tuple[datetime, datetime | None]) -> set[int]:
    start = min(w[0] for w in windows) - REBIND_MARGIN
    end = max((w[1] or timezone.now()) for w in windows) + REBIND_MARGIN
    numbers = [device.number, *device.aliases.values_list("number", flat=True)]
    return set(
        MediaItem.objects.filter(
            device_number__in=numbers, used_at__range=(start, end)
        ).values_list("pk", flat=True)
    )


def bureau_times(items: list) -> dict[int, datetime]:
    """Registered with ``media.clock``: the bureau time of bound items whose device clock
    was off beyond the tolerance (read at checkout, or at a fixed camera for a booking).
    Derived: the record keeps the time its device wrote."""
    ids = [item.pk for item in items]
    rows = FootageBinding.objects.filter(item_id__in=ids).filter(
        Q(checkout__clock_flagged=True) | Q(booking__clock_flagged=True)
    )
    return dict(rows.values_list("item_id", "bureau_time"))
