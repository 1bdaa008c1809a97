"""Who may see and do what with recording equipment: the one helper for pages and API.

Default deny. The system administrator registers devices for their bureau (there is no
equipment-keeper role, ``accounts/choices.py``); an officer sees the devices of their
own section and of the units above it (a detachment's or bureau's pool) and checks
them out for themselves; a section head sees and manages their section and below; the
leader in charge and the inspection team see the bureau's. Missing and forbidden are
the same 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import OrgUnit
from fullrecord.core.refusals import Unreachable

from .models import CameraBooking, Checkout, Device, DeviceModel, Fault, Patrol

# Roles that read every device, checkout and fault of their bureau.
BUREAU_READERS = (Role.LEADER, Role.INSPECTOR, Role.ADMIN)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _bureau_path(user) -> str | None:
    return user.org_unit.bureau().path if user.org_unit_id else None


def _pool_unit_ids(user) -> list[int]:
    """The officer's own unit and those above it, up to their bureau."""
    if not user.org_unit_id:
        return []
    ids = [int(part) for part in user.org_unit.path.strip("/").split("/")]
    bureau = user.org_unit.bureau()
    return ids[ids.index(bureau.pk) :] if bureau.pk in ids else [user.org_unit_id]


def _unit_condition(user, field: str) -> Q:
    """Units the user reaches as section head or bureau reader, as a filter on ``field``."""
    paths = []
    if user.has_role(Role.SECTION_HEAD) and user.org_unit_id:
        paths.append(user.org_unit.path)
    if user.has_role(*BUREAU_READERS) and (path := _bureau_path(user)):
        paths.append(path)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__path__startswith": path})
    return condition


def visible_devices(user) -> QuerySet[Device]:
    if not _active(user):
        return Device.objects.none()
    condition = _unit_condition(user, "org_unit")
    if user.has_role(Role.OFFICER):
        condition |= Q(org_unit_id__in=_pool_unit_ids(user))
        condition |= Q(checkouts__officer=user, checkouts__in_at=None)
    return Device.objects.filter(pk__in=Device.objects.filter(condition).values("pk"))


def get_device(user, pk) -> Device:
    try:
        return visible_devices(user).select_related("model", "org_unit").get(pk=int(pk))
    except (Device.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def is_head_of(user, device: Device) -> bool:
    """A section head over the device's owning unit."""
    return bool(
        _active(user)
        and user.has_role(Role.SECTION_HEAD)
        and user.org_unit_id
        and device.org_unit.path.startswith(user.org_unit.path)
    )


def _in_bureau(user, unit: OrgUnit) -> bool:
    path = _bureau_path(user)
    return bool(path and unit.path.startswith(path))


def is_admin_of(user, device: Device) -> bool:
    return _active(user) and user.has_role(Role.ADMIN) and _in_bureau(user, device.org_unit)


def can_register(user, unit: OrgUnit | None = None) -> bool:
    """Registering and changing devices: the system administrator, within their bureau."""
    if not (_active(user) and user.has_role(Role.ADMIN) and user.org_unit_id):
        return False
    return unit is None or _in_bureau(user, unit)


def can_edit(user, device: Device) -> bool:
    """Changing a device's registry entry: the administrator of its bureau or the section
    head over it."""
    return is_head_of(user, device) or is_admin_of(user, device)


def may_own(user, unit: OrgUnit) -> bool:
    """Units a device may be moved to by this user: the administrator's bureau, the
    section head's own section and below."""
    if not (_active(user) and user.org_unit_id):
        return False
    if user.has_role(Role.ADMIN) and _in_bureau(user, unit):
        return True
    return user.has_role(Role.SECTION_HEAD) and unit.path.startswith(user.org_unit.path)


def owning_units(user) -> QuerySet[OrgUnit]:
    """The units ``may_own`` allows, for a form's choices."""
    if not (_active(user) and user.org_unit_id):
        return OrgUnit.objects.none()
    paths = []
    if user.has_role(Role.ADMIN):
        paths.append(user.org_unit.bureau().path)
    if user.has_role(Role.SECTION_HEAD):
        paths.append(user.org_unit.path)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.filter(condition).order_by("path")


def visible_models(user) -> QuerySet[DeviceModel]:
    """Models of the devices the user sees."""
    return DeviceModel.objects.filter(
        pk__in=visible_devices(user).order_by().values("model_id")
    ).order_by("name")


def get_model(user, pk) -> DeviceModel:
    try:
        return visible_models(user).get(pk=int(pk))
    except (DeviceModel.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def can_set_interval(user, model: DeviceModel) -> bool:
    """第十四条: the maintenance interval of a model is set by the administrator or a section
    head who has devices of it, and only while every device of the model is in their
    bureau (the interval is the model's, so it must not reach another bureau's devices)."""
    if not (_active(user) and user.org_unit_id):
        return False
    paths = []
    if user.has_role(Role.ADMIN):
        paths.append(user.org_unit.bureau().path)
    if user.has_role(Role.SECTION_HEAD):
        paths.append(user.org_unit.path)
    if not paths:
        return False
    units = list(
        Device.objects.filter(model=model)
        .order_by()
        .values_list("org_unit__path", flat=True)
        .distinct()
    )
    bureau = _bureau_path(user)
    return (
        bool(units)
        and all(path.startswith(bureau) for path in units)
        and any(path.startswith(mine) for path in units for mine in paths)
    )


def can_checkout(user, device: Device) -> bool:
    """Officers check devices of their pool out for themselves (第九条第一项)."""
    return (
        _active(user) and user.has_role(Role.OFFICER) and device.org_unit_id in _pool_unit_ids(user)
    )


def can_book(user, device: Device) -> bool:
    """Booking a fixed camera (an interview room, a site) for a task: the officers of its
    pool, its section head, the leader in charge."""
    from .choices import DeviceKind

    if device.kind != DeviceKind.FIXED_CAMERA:
        return False
    return can_checkout(user, device) or can_override(user, device)


def can_override(user, device: Device) -> bool:
    """Letting a device overdue for maintenance go out: its section head or the leader."""
    if is_head_of(user, device):
        return True
    return _active(user) and user.has_role(Role.LEADER) and _in_bureau(user, device.org_unit)


def can_checkin(user, checkout: Checkout) -> bool:
    """Only the holder or a section head over the device may check it in."""
    return _active(user) and (checkout.officer_id == user.pk or is_head_of(user, checkout.device))


def can_correct(user, checkout: Checkout) -> bool:
    """Putting a checkout right afterwards: the section head or the leader in charge."""
    return can_override(user, checkout.device)


def can_report_fault(user, device: Device) -> bool:
    if not _active(user):
        return False
    if device.checkouts.filter(officer=user, in_at=None).exists():
        return True
    return can_checkout(user, device) or is_head_of(user, device) or is_admin_of(user, device)


def can_repair(user, fault: Fault) -> bool:
    """Moving a repair along: the section head or the administrator."""
    return is_head_of(user, fault.device) or is_admin_of(user, fault.device)


def can_write_off(user, device: Device) -> bool:
    """Retiring or writing a device off needs its section head (第十八条第五项)."""
    return is_head_of(user, device)


def can_declare_footage_lost(user, device: Device) -> bool:
    """Declaring a storage card's footage lost (第十八条第五项): its section head, as for the
    write-off it allows."""
    return is_head_of(user, device)


def can_maintain(user, device: Device) -> bool:
    return is_head_of(user, device) or is_admin_of(user, device)


def visible_checkouts(user) -> QuerySet[Checkout]:
    if not _active(user):
        return Checkout.objects.none()
    condition = _unit_condition(user, "device__org_unit") | Q(officer=user)
    return Checkout.objects.filter(condition)


def get_checkout(user, pk) -> Checkout:
    try:
        return visible_checkouts(user).select_related("device__org_unit", "officer").get(pk=int(pk))
    except (Checkout.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def visible_bookings(user) -> QuerySet[CameraBooking]:
    """A fixed camera's bookings: whoever sees the camera, and the officer conducting."""
    if not _active(user):
        return CameraBooking.objects.none()
    return CameraBooking.objects.filter(
        Q(device__in=visible_devices(user)) | Q(officer=user) | Q(booked_by=user)
    )


def get_booking(user, pk) -> CameraBooking:
    try:
        return (
            visible_bookings(user)
            .select_related("device__org_unit", "officer", "booked_by", "case", "patrol")
            .get(pk=int(pk))
        )
    except (CameraBooking.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def can_change_booking(user, booking: CameraBooking) -> bool:
    """Correcting or cancelling a booking: who booked it (while they may still book the
    camera) or the section head over the camera."""
    if not _active(user):
        return False
    if is_head_of(user, booking.device):
        return True
    return booking.booked_by_id == user.pk and can_book(user, booking.device)


def visible_faults(user) -> QuerySet[Fault]:
    if not _active(user):
        return Fault.objects.none()
    condition = _unit_condition(user, "device__org_unit") | Q(reported_by=user)
    if user.has_role(Role.OFFICER):
        condition |= Q(device__org_unit_id__in=_pool_unit_ids(user))
    return Fault.objects.filter(pk__in=Fault.objects.filter(condition).values("pk"))


def get_fault(user, pk) -> Fault:
    try:
        return (
            visible_faults(user).select_related("device__org_unit", "reported_by").get(pk=int(pk))
        )
    except (Fault.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def can_plan_patrol(user, unit: OrgUnit | None = None) -> bool:
    """Patrol tasks are set by a section head (for their unit) or the leader."""
    if not _active(user) or not user.org_unit_id:
        return False
    if user.has_role(Role.LEADER):
        return unit is None or _in_bureau(user, unit)
    if user.has_role(Role.SECTION_HEAD):
        return unit is None or unit.path.startswith(user.org_unit.path)
    return False


def visible_patrols(user) -> QuerySet[Patrol]:
    if not _active(user):
        return Patrol.objects.none()
    condition = _unit_condition(user, "org_unit") | Q(team=user)
    return Patrol.objects.filter(pk__in=Patrol.objects.filter(condition).values("pk"))


def get_patrol(user, pk) -> Patrol:
    try:
        return visible_patrols(user).select_related("org_unit").get(pk=int(pk))
    except (Patrol.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def can_see_statistics(user) -> bool:
    return _active(user) and user.has_role(Role.SECTION_HEAD, *BUREAU_READERS)


def can_resolve_numbers(user) -> bool:
    """Unknown device numbers at ingest are the administrator's to resolve."""
    return can_register(user)


def can_mark(user, item) -> bool:
    """Marking moments in footage: those who may correct its classification (the officer
    who recorded it, their section head, the leader)."""
    from fullrecord.media.access import can_classify

    return _active(user) and can_classify(user, item)
