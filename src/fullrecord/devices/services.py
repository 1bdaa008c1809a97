"""Recording equipment: the one write path (register, checkout, check-in, corrections,
faults and repairs, maintenance, patrols, footage binding, marks and clips).

Each change and its audit entry are written in one transaction. Refusals are
``DeviceError`` with a message in the user's language; nothing half-done is kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import OrgUnit, User
from fullrecord.audit.services import record
from fullrecord.cases import access as case_access
from fullrecord.cases.models import Case
from fullrecord.media.models import MediaItem
from fullrecord.notifications.models import Level
from fullrecord.notifications.services import notify

from . import access
from .binding import (  # noqa: F401 - the binding half of the write path, named here too
    CLOCK_RESOLUTION,
    REBIND_MARGIN,
    bind_item,
    bureau_times,
    device_for_number,
    rebind_after_commit,
    window_for,
)
from .choices import (
    FAULT_MOVES,
    FAULT_OF_ITEM,
    OPEN_FAULT_STATES,
    PORTABLE_KINDS,
    STATIONARY_KINDS,
    CheckItem,
    DeviceKind,
    DeviceStatus,
    FaultKind,
    FaultState,
    MarkKind,
    TaskKind,
)
from .models import (
    MAX_INTERVAL_DAYS,
    CameraBooking,
    Checkout,
    CheckoutCorrection,
    ClipRequest,
    Device,
    DeviceAlias,
    DeviceModel,
    Fault,
    FaultStep,
    FootageLoss,
    Maintenance,
    MaintenanceOverride,
    Mark,
    Patrol,
    PatrolCounter,
    UnknownNumber,
)

log = logging.getLogger(__name__)


class DeviceError(ValidationError):
    pass


def _device_data(device: Device) -> dict[str, Any]:
    return {"device": device.number, "status": device.status}


# --- the registry ---------------------------------------------------------------------------


@transaction.atomic
def register_device(
    *,
    actor: User,
    number: str,
    kind: str,
    model: DeviceModel,
    org_unit: OrgUnit,
    serial: str = "",
    location: str = "",
    storage_gb: int | None = None,
    firmware: str = "",
) -> Device:
    if not access.can_register(actor, org_unit):
        raise DeviceError(_("You may not register devices for this unit."))
    number = number.strip()
    if not number:
        raise DeviceError(_("A device needs its number."))
    if (
        Device.objects.filter(number=number).exists()
        or DeviceAlias.objects.filter(number=number).exists()
    ):
        raise DeviceError(_("Device number %(number)s is taken.") % {"number": number})
    device = Device.objects.create(
        number=number[:50],
        kind=kind,
        model=model,
        org_unit=org_unit,
        serial=serial[:100],
        location=location[:200],
        storage_gb=storage_gb,
        firmware=firmware[:50],
    )
    record(
        "devices.register",
        actor=actor,
        obj=device,
        summary=_("Registered device %(number)s") % {"number": device.number},
        data={
            "number": device.number,
            "kind": kind,
            "model": model.name,
            "org_unit": org_unit.name,
            "serial": serial,
        },
    )
    _resolve_unknown(number, actor=actor)
    return device


@transaction.atomic
def map_number(number: str, device: Device, *, actor: User) -> DeviceAlias:
    """Footage arriving under ``number`` belongs to ``device`` (an unknown number resolved)."""
    if not access.can_register(actor, device.org_unit):
        raise DeviceError(_("You may not map device numbers."))
    number = number.strip()
    if not number or Device.objects.filter(number=number).exists():
        raise DeviceError(_("Device number %(number)s is taken.") % {"number": number})
    alias, created = DeviceAlias.objects.get_or_create(
        number=number[:50], defaults={"device": device, "created_by": actor}
    )
    if not created and alias.device_id != device.pk:
        raise DeviceError(_("Device number %(number)s is taken.") % {"number": number})
    record(
        "devices.map_number",
        actor=actor,
        obj=device,
        summary=_("Mapped number %(number)s to device %(device)s")
        % {"number": number, "device": device.number},
        data={"number": number, "device": device.number},
    )
    _resolve_unknown(number, actor=actor)
    return alias


# What an edit of the registry may change; the number and kind are the device itself
# (footage is bound by the number), so they are not among them.
EDITABLE = ("model", "serial", "org_unit", "storage_gb", "firmware", "location")
LIMITS = {"serial": 100, "firmware": 50, "location": 200}


def _registry_text(name: str, value) -> str:
    if value is None:
        return ""
    if name == "org_unit":
        return value.name
    return str(value)


@transaction.atomic
def edit_device(device: Device, *, actor: User, changes: dict[str, Any]) -> Device:
    """Change a device's registry entry (model, serial, owning section, storage, firmware,
    location of a fixed camera or station); the old and new values go into the audit log."""
    device = _locked(device)
    if not access.can_edit(actor, device):
        raise DeviceError(_("You may not change this device's registry entry."))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DeviceError(_("%(field)s cannot be changed.") % {"field": ", ".join(sorted(unknown))})
    changes = dict(changes)
    for name, limit in LIMITS.items():
        if name in changes:
            changes[name] = (changes[name] or "").strip()
            if len(changes[name]) > limit:
                raise DeviceError(
                    _("%(field)s is at most %(limit)s characters.")
                    % {"field": Device._meta.get_field(name).verbose_name, "limit": limit}
                )
    if "model" in changes:
        if changes["model"] is None:
            raise DeviceError(_("A device needs its model."))
        if changes["model"].kind != device.kind:
            raise DeviceError(
                _("Model %(model)s is not a %(kind)s.")
                % {"model": changes["model"].name, "kind": device.get_kind_display()}
            )
    moved = "org_unit" in changes and changes["org_unit"] != device.org_unit
    if moved and (changes["org_unit"] is None or not access.may_own(actor, changes["org_unit"])):
        raise DeviceError(_("You may not give the device to this unit."))
    if changes.get("storage_gb") is not None and changes["storage_gb"] < 0:
        raise DeviceError(_("Storage is a number of gigabytes."))
    if changes.get("location") and device.kind not in STATIONARY_KINDS:
        raise DeviceError(_("Only fixed cameras and docking stations have a location."))
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for name, value in changes.items():
        old = getattr(device, name)
        if old != value:
            before[name] = _registry_text(name, old)
            after[name] = _registry_text(name, value)
            setattr(device, name, value)
    if not after:
        raise DeviceError(_("Nothing to change: the values are the ones registered."))
    device.save(update_fields=list(after))
    record(
        "devices.edit",
        actor=actor,
        obj=device,
        summary=_("Changed the registry entry of device %(number)s") % {"number": device.number},
        data={"device": device.number, "before": before, "after": after},
    )
    return device


@transaction.atomic
def set_maintenance_interval(model: DeviceModel, *, actor: User, days: int) -> DeviceModel:
    """第十四条: the days between two maintenances of a device of this model. Due and overdue
    follow from it when they are next read; nothing else is stored."""
    model = DeviceModel.objects.select_for_update().get(pk=model.pk)
    if not access.can_set_interval(actor, model):
        raise DeviceError(_("You may not set the maintenance interval of this model."))
    if not isinstance(days, int) or not 1 <= days <= MAX_INTERVAL_DAYS:
        raise DeviceError(
            _("The maintenance interval is from 1 to %(max)s days.") % {"max": MAX_INTERVAL_DAYS}
        )
    if days == model.maintenance_days:
        raise DeviceError(_("Nothing to change: the values are the ones registered."))
    before = model.maintenance_days
    model.maintenance_days = days
    model.save(update_fields=["maintenance_days"])
    record(
        "devices.interval",
        actor=actor,
        obj=model,
        summary=_("Maintenance interval of %(model)s: %(before)s → %(after)s days")
        % {"model": model.name, "before": before, "after": days},
        data={
            "model": model.name,
            "before": {"maintenance_days": before},
            "after": {"maintenance_days": days},
        },
    )
    return model


def _resolve_unknown(number: str, *, actor: User) -> None:
    """The number is known now: its footage is bound after the commit."""
    UnknownNumber.objects.filter(number=number, resolved_at=None).update(resolved_at=timezone.now())
    ids = list(MediaItem.objects.filter(device_number=number).values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: [bind_item(pk) for pk in ids])


# --- checkout and check-in ------------------------------------------------------------------


@dataclass
class CheckoutResult:
    """A checkout made, or refused by the function check with the fault it opened."""

    checkout: Checkout | None = None
    fault: Fault | None = None

    @property
    def blocked(self) -> bool:
        return self.checkout is None


def _locked(device: Device) -> Device:
    return Device.objects.select_for_update().select_related("model", "org_unit").get(pk=device.pk)


REFUSED_STATUS = {
    DeviceStatus.CHECKED_OUT: _("This device is already checked out."),
    DeviceStatus.FAULTY: _("This device is faulty and cannot be checked out."),
    DeviceStatus.IN_REPAIR: _("This device is in repair and cannot be checked out."),
    DeviceStatus.RETIRED: _("This device is retired and cannot be checked out."),
}


def _refused_status(device: Device) -> str:
    return str(REFUSED_STATUS[device.status])


def checkout_device(
    device: Device,
    *,
    actor: User,
    task_kind: str,
    checklist: dict[str, bool],
    case: Case | None = None,
    patrol: Patrol | None = None,
    task_note: str = "",
    device_clock: datetime | None = None,
    battery: int | None = None,
    replaces: Fault | None = None,
) -> CheckoutResult:
    """Check a device out to ``actor`` after the function check (第九条第一项).

    A failed check item blocks the checkout and opens a fault (kept: that is not
    rolled back); the officer then takes a spare with ``replaces=`` that fault. The row
    lock on the device and a unique index on its open checkout let only one of two
    simultaneous checkouts through.
    """
    if task_kind not in TaskKind.values:
        raise DeviceError(_("Choose the task the device is taken for."))
    missing = [item for item in CheckItem.values if item not in checklist]
    if missing:
        raise DeviceError(
            _("Confirm every item of the function check: %(items)s")
            % {"items": "、".join(str(CheckItem(m).label) for m in missing)}
        )
    if task_kind == TaskKind.CASE and case is None:
        raise DeviceError(_("Name the case the device is taken for."))
    if case is not None and not case_access.can(actor, "edit", case):
        raise DeviceError(_("You may not record for this case."))
    if patrol is not None and not access.visible_patrols(actor).filter(pk=patrol.pk).exists():
        raise DeviceError(_("You are not on this patrol task."))
    if battery is not None and not 0 <= battery <= 100:
        raise DeviceError(_("Battery is a percentage from 0 to 100."))
    try:
        with transaction.atomic():
            device = _locked(device)
            if not access.can_checkout(actor, device):
                raise DeviceError(_("You may not check this device out."))
            if device.kind not in PORTABLE_KINDS:
                raise DeviceError(_("Fixed cameras and docking stations are not checked out."))
            if device.status != DeviceStatus.AVAILABLE:
                raise DeviceError(_refused_status(device))
            failed = [item for item in CheckItem.values if not checklist[item]]
            if failed:
                fault = _open_fault(
                    device,
                    actor=actor,
                    kind=FAULT_OF_ITEM[failed[0]],
                    note=_("Failed the function check: %(items)s")
                    % {"items": "、".join(str(CheckItem(f).label) for f in failed)},
                    case=case,
                    checkout=None,
                )
                return CheckoutResult(fault=fault)
            override = None
            if device.maintenance_overdue():
                override = (
                    MaintenanceOverride.objects.select_for_update()
                    .filter(device=device, checkout=None)
                    .order_by("granted_at")
                    .first()
                )
                if override is None:
                    raise DeviceError(
                        _(
                            "This device is overdue for maintenance; it goes out only "
                            "after its section head records an override."
                        )
                    )
            if replaces is not None and replaces.reported_by_id != actor.pk:
                raise DeviceError(_("A spare replaces a fault you reported."))
            now = timezone.now()
            offset = (device_clock - now).total_seconds() if device_clock is not None else 0.0
            flagged = abs(offset) > settings.FULLRECORD_DEVICE_CLOCK_TOLERANCE_SECONDS
            checkout = Checkout.objects.create(
                device=device,
                officer=actor,
                task_kind=task_kind,
                case=case,
                patrol=patrol,
                task_note=task_note[:200],
                out_at=now,
                checklist={item: bool(checklist[item]) for item in CheckItem.values},
                clock_offset=round(offset, 1),
                clock_flagged=flagged,
                battery_out=battery,
                override_by=override.granted_by if override else None,
                override_reason=override.reason if override else "",
                replaces=replaces,
            )
            if override is not None:
                override.checkout = checkout
                override.save(update_fields=["checkout"])
            device.status = DeviceStatus.CHECKED_OUT
            device.save(update_fields=["status"])
            record(
                "devices.checkout",
                actor=actor,
                obj=checkout,
                case_id=case.pk if case else None,
                summary=_("Checked out %(device)s for %(task)s")
                % {"device": device.number, "task": checkout.task_label},
                data={
                    **_device_data(device),
                    "task": task_kind,
                    "case": case.number if case else "",
                    "patrol": patrol.number if patrol else "",
                    "checklist": checkout.checklist,
                    "clock_offset": checkout.clock_offset,
                    "clock_flagged": flagged,
                    "battery": battery,
                    "override_by": str(override.granted_by) if override else "",
                    "spare_for_fault": replaces.pk if replaces else None,
                },
            )
            return CheckoutResult(checkout=checkout)
    except IntegrityError:
        # The other of two simultaneous checkouts committed first.
        raise DeviceError(str(REFUSED_STATUS[DeviceStatus.CHECKED_OUT])) from None


@transaction.atomic
def checkin_device(
    checkout: Checkout,
    *,
    actor: User,
    battery: int | None = None,
    storage_free: int | None = None,
) -> Checkout:
    """Return a device (归还): only its holder or a section head over it."""
    checkout = (
        Checkout.objects.select_for_update().select_related("device__org_unit").get(pk=checkout.pk)
    )
    if not access.can_checkin(actor, checkout):
        raise DeviceError(_("Only the holder or a section head may check this device in."))
    if not checkout.is_open:
        raise DeviceError(_("This device was checked in already."))
    for value in (battery, storage_free):
        if value is not None and not 0 <= value <= 100:
            raise DeviceError(_("Battery and free storage are percentages from 0 to 100."))
    device = _locked(checkout.device)
    checkout.in_at = timezone.now()
    checkout.battery_in = battery
    checkout.storage_free_in = storage_free
    checkout.checked_in_by = actor
    checkout.save(update_fields=["in_at", "battery_in", "storage_free_in", "checked_in_by"])
    if device.status == DeviceStatus.CHECKED_OUT:
        device.status = DeviceStatus.AVAILABLE
        device.save(update_fields=["status"])
    record(
        "devices.checkin",
        actor=actor,
        obj=checkout,
        case_id=checkout.case_id,
        summary=_("Checked in %(device)s") % {"device": device.number},
        data={
            **_device_data(device),
            "holder": str(checkout.officer),
            "battery": battery,
            "storage_free": storage_free,
        },
    )
    rebind_after_commit(
        device,
        (checkout.out_at, checkout.in_at),
        bound=checkout.bindings.values_list("item_id", flat=True),
    )
    return checkout


CORRECTABLE = (
    "out_at",
    "in_at",
    "officer",
    "clock_offset",
    "task_kind",
    "case",
    "patrol",
    "task_note",
)


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, Case):
        return value.number
    if isinstance(value, Patrol):
        return value.number
    return str(value)


@transaction.atomic
def correct_checkout(
    checkout: Checkout, *, actor: User, reason: str, changes: dict[str, Any]
) -> Checkout:
    """Put a checkout's window, holder, clock offset, task, case or note right, with a reason.

    The old and new values go into a correction row and the audit log; the footage of
    the device around the old and new windows is bound again after the commit: what now
    falls inside gets the window's holder, task and case, what falls out loses what the
    binding had given it (not what a person set by hand), each change a media entry.
    """
    checkout = (
        Checkout.objects.select_for_update().select_related("device__org_unit").get(pk=checkout.pk)
    )
    if not access.can_correct(actor, checkout):
        raise DeviceError(_("You may not correct this checkout."))
    if not reason.strip():
        raise DeviceError(_("Say why the checkout is corrected."))
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise DeviceError(_("%(field)s cannot be corrected.") % {"field": ", ".join(unknown)})
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    old_window = (checkout.out_at, checkout.in_at)
    old_officer = checkout.officer
    for name, value in changes.items():
        if name == "in_at" and value is None and checkout.in_at is not None:
            raise DeviceError(_("A checked-in device cannot be made checked out again."))
        if getattr(checkout, name) != value:
            before[name] = _as_text(getattr(checkout, name))
            after[name] = _as_text(value)
            setattr(checkout, name, value)
    if not after:
        raise DeviceError(_("Nothing to correct: the values are the ones recorded."))
    if checkout.in_at is not None and checkout.in_at <= checkout.out_at:
        raise DeviceError(_("The check-in must come after the checkout."))
    if checkout.out_at > timezone.now():
        raise DeviceError(_("A checkout cannot start in the future."))
    if "officer" in after and not checkout.officer.has_role(Role.OFFICER):
        raise DeviceError(_("Only an enforcement officer can hold a device."))
    if checkout.task_kind not in TaskKind.values:
        raise DeviceError(_("Choose the task the device is taken for."))
    if checkout.task_kind == TaskKind.CASE and checkout.case is None:
        raise DeviceError(_("Name the case the device is taken for."))
    if (
        ("case" in after or "officer" in after)
        and checkout.case is not None
        and not case_access.can(checkout.officer, "edit", checkout.case)
    ):
        raise DeviceError(_("The holder may not record for this case."))
    if (
        "patrol" in after
        and checkout.patrol is not None
        and checkout.patrol.org_unit.bureau().pk != checkout.device.org_unit.bureau().pk
    ):
        raise DeviceError(_("The patrol task belongs to another bureau."))
    overlapping = (
        Checkout.objects.filter(device=checkout.device)
        .exclude(pk=checkout.pk)
        .filter(Q(in_at=None) | Q(in_at__gt=checkout.out_at))
    )
    if checkout.in_at is not None:
        overlapping = overlapping.filter(out_at__lt=checkout.in_at)
    if overlapping.exists():
        raise DeviceError(_("The corrected window overlaps another checkout of this device."))
    checkout.clock_flagged = (
        abs(checkout.clock_offset) > settings.FULLRECORD_DEVICE_CLOCK_TOLERANCE_SECONDS
    )
    checkout.save()
    CheckoutCorrection.objects.create(
        checkout=checkout, actor=actor, reason=reason.strip()[:500], before=before, after=after
    )
    record(
        "devices.correct_checkout",
        actor=actor,
        obj=checkout,
        case_id=checkout.case_id,
        summary=_("Corrected checkout of %(device)s") % {"device": checkout.device.number},
        data={"before": before, "after": after, "reason": reason.strip()},
    )
    rebind_after_commit(
        checkout.device,
        (checkout.out_at, checkout.in_at),
        old_window,
        bound=list(checkout.bindings.values_list("item_id", flat=True)),
        previous_officer=old_officer if "officer" in before else None,
    )
    return checkout


def pending_uploads(checkouts):
    """Closed checkout windows no footage is bound to yet ("pending upload"), unless their
    footage was declared lost."""
    return checkouts.filter(in_at__isnull=False, bindings__isnull=True, footage_lost=None)


# --- faults and repairs ----------------------------------------------------------------------


def _section_heads(device: Device) -> list[User]:
    ancestors = [int(part) for part in device.org_unit.path.strip("/").split("/")]
    return list(
        User.objects.filter(
            role_grants__role=Role.SECTION_HEAD, is_active=True, org_unit_id__in=ancestors
        ).distinct()
    )


def _open_fault(
    device: Device,
    *,
    actor: User,
    kind: str,
    note: str,
    case: Case | None,
    checkout: Checkout | None,
) -> Fault:
    """Inside the caller's transaction, with ``device`` locked."""
    fault = Fault.objects.create(
        device=device, checkout=checkout, kind=kind, note=note[:500], reported_by=actor, case=case
    )
    FaultStep.objects.create(fault=fault, to_state=FaultState.REPORTED, actor=actor, note=note)
    if checkout is not None and checkout.is_open:
        # The device leaves the officer's hands with the fault: the window ends here.
        checkout.in_at = fault.reported_at
        checkout.checked_in_by = actor
        checkout.save(update_fields=["in_at", "checked_in_by"])
    device.status = DeviceStatus.FAULTY
    device.save(update_fields=["status"])
    record(
        "devices.fault",
        actor=actor,
        obj=fault,
        case_id=case.pk if case else None,
        summary=_("Fault reported on %(device)s: %(kind)s")
        % {"device": device.number, "kind": FaultKind(kind).label},
        data={**_device_data(device), "kind": kind, "note": note},
    )
    message = _("Device %(device)s: %(kind)s, reported by %(who)s") % {
        "device": device.number,
        "kind": FaultKind(kind).label,
        "who": actor,
    }
    heads = [head for head in _section_heads(device) if head.pk != actor.pk] or _section_heads(
        device
    )
    notify(heads, message, link=fault.get_absolute_url(), level=Level.ALERT)
    if settings.FULLRECORD_DEVICE_FAULT_MAIL:
        fault_id = fault.pk
        transaction.on_commit(lambda: _queue_mail(fault_id))
    return fault


def _queue_mail(fault_id: int) -> None:
    from .tasks import mail_fault

    mail_fault.enqueue(fault_id)


def fault_recipients(fault: Fault) -> list[User]:
    return _section_heads(fault.device)


@transaction.atomic
def report_fault(
    device: Device,
    *,
    actor: User,
    kind: str,
    note: str = "",
    case: Case | None = None,
) -> Fault:
    """Report a fault from the field in one step (第九条第六项); the section head is told."""
    if kind not in FaultKind.values:
        raise DeviceError(_("Choose what is wrong with the device."))
    device = _locked(device)
    if not access.can_report_fault(actor, device):
        raise DeviceError(_("You may not report a fault on this device."))
    if device.status == DeviceStatus.RETIRED:
        raise DeviceError(_refused_status(device))
    if device.faults.filter(state__in=OPEN_FAULT_STATES, kind=kind).exists():
        raise DeviceError(_("This fault is reported already."))
    checkout = device.checkouts.filter(in_at=None).first()
    if checkout is not None and case is None:
        case = checkout.case
    if case is not None and not case_access.can(actor, "view", case):
        raise DeviceError(_("You may not record for this case."))
    return _open_fault(device, actor=actor, kind=kind, note=note, case=case, checkout=checkout)


@transaction.atomic
def move_fault(
    fault: Fault,
    *,
    actor: User,
    to_state: str,
    note: str = "",
) -> Fault:
    """Move a repair along; writing a device off needs its section head, a reason, and its
    storage card's footage ingested or declared lost first (第十八条第五项)."""
    fault = Fault.objects.select_for_update().select_related("device__org_unit").get(pk=fault.pk)
    if not access.can_repair(actor, fault):
        raise DeviceError(_("You may not move this repair along."))
    if to_state not in FAULT_MOVES.get(fault.state, ()):
        raise DeviceError(
            _("A repair that is %(state)s cannot move to %(to)s.")
            % {"state": FaultState(fault.state).label, "to": FaultState(to_state).label}
            if to_state in FaultState.values
            else _("Unknown repair state.")
        )
    device = _locked(fault.device)
    if to_state == FaultState.RETIRED:
        _refuse_write_off(device, actor=actor, reason=note)
    step = FaultStep.objects.create(
        fault=fault, from_state=fault.state, to_state=to_state, actor=actor, note=note[:500]
    )
    fault.state = to_state
    if to_state in (FaultState.RESOLVED, FaultState.RETIRED):
        fault.closed_at = step.at
    fault.save(update_fields=["state", "closed_at"])
    if to_state == FaultState.IN_REPAIR:
        device.status = DeviceStatus.IN_REPAIR
    elif to_state == FaultState.RETIRED:
        _mark_retired(device, actor=actor, reason=note, at=step.at)
    elif not device.faults.filter(state__in=OPEN_FAULT_STATES).exists():
        device.status = (
            DeviceStatus.CHECKED_OUT
            if device.checkouts.filter(in_at=None).exists()
            else DeviceStatus.AVAILABLE
        )
    device.save(update_fields=["status", "retired_reason", "retired_at", "retired_by"])
    record(
        "devices.repair",
        actor=actor,
        obj=fault,
        case_id=fault.case_id,
        summary=_("Repair of %(device)s: %(from)s → %(to)s")
        % {
            "device": device.number,
            "from": FaultState(step.from_state).label,
            "to": FaultState(to_state).label,
        },
        data={
            **_device_data(device),
            "from": step.from_state,
            "to": to_state,
            "note": note,
        },
    )
    return fault


# --- retiring a device and its storage card (第九条第六项、第十八条第五项) ---------------------


def _refuse_write_off(device: Device, *, actor: User, reason: str) -> None:
    """The rules of a write-off, whichever way it comes (the device page or a repair)."""
    if not access.can_write_off(actor, device):
        raise DeviceError(_("Writing a device off needs its section head."))
    if not reason.strip():
        raise DeviceError(_("Say why the device is written off."))
    if device.status == DeviceStatus.RETIRED:
        raise DeviceError(_("This device is retired already."))
    if device.status == DeviceStatus.CHECKED_OUT:
        raise DeviceError(
            _("This device is checked out: have it checked in, or report it lost, first.")
        )
    waiting = pending_uploads(device.checkouts.all()).count()
    if waiting:
        raise DeviceError(
            _(
                "%(count)s checkout(s) of this device have no footage yet: ingest the "
                "storage card first, or declare its footage lost."
            )
            % {"count": waiting}
        )


def _mark_retired(device: Device, *, actor: User, reason: str, at: datetime) -> None:
    """Inside the caller's transaction, with ``device`` locked; the caller saves it. Any
    repair still open ends with the device."""
    for fault in device.faults.select_for_update().filter(state__in=OPEN_FAULT_STATES):
        FaultStep.objects.create(
            fault=fault,
            from_state=fault.state,
            to_state=FaultState.RETIRED,
            actor=actor,
            note=reason[:500],
        )
        fault.state = FaultState.RETIRED
        fault.closed_at = at
        fault.save(update_fields=["state", "closed_at"])
    device.status = DeviceStatus.RETIRED
    device.retired_reason = reason.strip()[:300]
    device.retired_at = at
    device.retired_by = actor


@transaction.atomic
def retire_device(device: Device, *, actor: User, reason: str) -> Device:
    """Retire or write off a device (damaged, worn out, lost) from its own page: its
    section head, with a reason, once its storage card's footage has been ingested or
    declared lost (第十八条第五项). Open repairs are closed as written off."""
    device = _locked(device)
    _refuse_write_off(device, actor=actor, reason=reason)
    closed = list(device.faults.filter(state__in=OPEN_FAULT_STATES).values_list("pk", flat=True))
    _mark_retired(device, actor=actor, reason=reason, at=timezone.now())
    device.save(update_fields=["status", "retired_reason", "retired_at", "retired_by"])
    record(
        "devices.retire",
        actor=actor,
        obj=device,
        summary=_("Device %(number)s retired: %(reason)s")
        % {"number": device.number, "reason": device.retired_reason},
        data={"device": device.number, "reason": device.retired_reason, "faults_closed": closed},
    )
    return device


@transaction.atomic
def declare_footage_lost(device: Device, *, actor: User, reason: str) -> FootageLoss:
    """The section head declares that the footage of the device's checkouts still waiting
    for it will not come (a card lost with the device, broken, wiped), with the reason.
    Those windows leave the pending-upload list and the inspection team sees the
    declaration among its findings (第十八条第五项)."""
    device = _locked(device)
    if not access.can_declare_footage_lost(actor, device):
        raise DeviceError(_("Only the section head may declare footage lost."))
    if not reason.strip():
        raise DeviceError(_("Say why the footage is lost."))
    # The device's row lock (above) keeps its check-ins, write-offs and other declarations
    # out meanwhile; PostgreSQL cannot lock the windows themselves through the outer join
    # that finds those without footage. Footage bound at the same moment is kept: the
    # window then has its footage and the declaration stays as history.
    windows = list(pending_uploads(device.checkouts.all()).select_related("officer", "case"))
    if not windows:
        raise DeviceError(_("No checkout of this device is waiting for footage."))
    loss = FootageLoss.objects.create(device=device, declared_by=actor, reason=reason.strip()[:500])
    Checkout.objects.filter(pk__in=[w.pk for w in windows]).update(footage_lost=loss)
    cases = {w.case_id for w in windows if w.case_id}
    record(
        "devices.footage_lost",
        actor=actor,
        obj=device,
        case_id=cases.pop() if len(cases) == 1 else None,
        summary=_("Footage of %(count)s checkout(s) of %(device)s declared lost")
        % {"count": len(windows), "device": device.number},
        data={
            "device": device.number,
            "reason": loss.reason,
            "checkouts": [
                {
                    "id": w.pk,
                    "officer": str(w.officer),
                    "out_at": f"{timezone.localtime(w.out_at):%Y-%m-%d %H:%M}",
                    "in_at": f"{timezone.localtime(w.in_at):%Y-%m-%d %H:%M}",
                    "case": w.case.number if w.case_id else "",
                }
                for w in windows
            ],
        },
    )
    return loss


# --- maintenance --------------------------------------------------------------------------


@transaction.atomic
def log_maintenance(
    device: Device,
    *,
    actor: User,
    battery_test: bool = False,
    storage_check: bool = False,
    clock_sync: bool = False,
    firmware: str = "",
    note: str = "",
) -> Maintenance:
    device = _locked(device)
    if not access.can_maintain(actor, device):
        raise DeviceError(_("You may not log maintenance of this device."))
    if not (battery_test or storage_check or clock_sync or firmware.strip()):
        raise DeviceError(_("Say what was maintained."))
    entry = Maintenance.objects.create(
        device=device,
        done_by=actor,
        battery_test=battery_test,
        storage_check=storage_check,
        clock_sync=clock_sync,
        firmware=firmware.strip()[:50],
        note=note[:300],
    )
    device.maintained_at = entry.done_at
    if entry.firmware:
        device.firmware = entry.firmware
    device.save(update_fields=["maintained_at", "firmware"])
    record(
        "devices.maintain",
        actor=actor,
        obj=device,
        summary=_("Maintained %(device)s") % {"device": device.number},
        data={
            "battery_test": battery_test,
            "storage_check": storage_check,
            "clock_sync": clock_sync,
            "firmware": entry.firmware,
            "note": note,
        },
    )
    return entry


@transaction.atomic
def grant_override(device: Device, *, actor: User, reason: str) -> MaintenanceOverride:
    """A section head lets an overdue device go out once (第十四条), with a reason."""
    device = _locked(device)
    if not access.can_override(actor, device):
        raise DeviceError(_("Only the section head or the leader may allow this."))
    if not device.maintenance_overdue():
        raise DeviceError(_("This device is not overdue for maintenance."))
    if not reason.strip():
        raise DeviceError(_("Say why the device may go out unmaintained."))
    override = MaintenanceOverride.objects.create(
        device=device, granted_by=actor, reason=reason.strip()[:300]
    )
    record(
        "devices.override",
        actor=actor,
        obj=device,
        summary=_("Allowed %(device)s out although overdue for maintenance")
        % {"device": device.number},
        data={"reason": reason.strip(), "due": device.maintenance_due.isoformat()},
    )
    return override


# --- patrols ----------------------------------------------------------------------------------


@transaction.atomic
def plan_patrol(
    *,
    actor: User,
    area: str,
    org_unit: OrgUnit,
    team: list[User],
    starts_at: datetime,
    ends_at: datetime,
    note: str = "",
) -> Patrol:
    if not access.can_plan_patrol(actor, org_unit):
        raise DeviceError(_("You may not set patrol tasks for this unit."))
    if not area.strip():
        raise DeviceError(_("Name the area of the patrol."))
    if ends_at <= starts_at:
        raise DeviceError(_("A patrol ends after it starts."))
    if not team:
        raise DeviceError(_("A patrol needs its team."))
    bureau_path = org_unit.bureau().path
    strangers = [
        str(u)
        for u in team
        if not u.has_role(Role.OFFICER)
        or not (u.org_unit_id and u.org_unit.path.startswith(bureau_path))
    ]
    if strangers:
        raise DeviceError(
            _("Only enforcement officers of the bureau go on its patrols: %(names)s")
            % {"names": "、".join(strangers)}
        )
    year = timezone.localtime(starts_at).year
    counter, _created = PatrolCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    patrol = Patrol.objects.create(
        number=f"XC-{year}-{counter.last:04d}",
        area=area.strip()[:200],
        org_unit=org_unit,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note[:300],
        created_by=actor,
    )
    patrol.team.set(team)
    record(
        "devices.patrol",
        actor=actor,
        obj=patrol,
        summary=_("Patrol task %(number)s set: %(area)s")
        % {"number": patrol.number, "area": patrol.area},
        data={
            "area": patrol.area,
            "unit": org_unit.name,
            "team": [str(u) for u in team],
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
        },
    )
    return patrol


# --- fixed cameras booked for a task ----------------------------------------------------------


@transaction.atomic
def book_camera(
    device: Device,
    *,
    actor: User,
    task_kind: str,
    starts_at: datetime,
    ends_at: datetime,
    case: Case | None = None,
    patrol: Patrol | None = None,
    officer: User | None = None,
    note: str = "",
    device_clock: datetime | None = None,
) -> CameraBooking:
    """Book a fixed camera (an interview room, a site) for a task and a time: its footage
    of that window is bound to the task, the case and the officer conducting it; footage
    outside every booking stays unlinked (第十八条第四项). ``device_clock``: the time the
    camera shows now, read by who books at the camera; an offset past the tolerance is
    kept, flagged and applied to the booking's footage, as a checkout's."""
    device = _locked(device)
    if device.kind != DeviceKind.FIXED_CAMERA:
        raise DeviceError(_("Only a fixed camera is booked; portable devices are checked out."))
    if not access.can_book(actor, device):
        raise DeviceError(_("You may not book this camera."))
    if device.status == DeviceStatus.RETIRED:
        raise DeviceError(_("This device is retired."))
    if task_kind not in TaskKind.values:
        raise DeviceError(_("Choose the task the device is taken for."))
    if task_kind == TaskKind.CASE and case is None:
        raise DeviceError(_("Name the case the device is taken for."))
    if ends_at <= starts_at:
        raise DeviceError(_("A booking must end after it starts."))
    officer = officer or actor
    if not officer.has_role(Role.OFFICER):
        raise DeviceError(_("Name the enforcement officer who conducts the task."))
    if case is not None and not case_access.can(officer, "edit", case):
        raise DeviceError(_("The officer conducting may not record for this case."))
    if patrol is not None and not access.visible_patrols(actor).filter(pk=patrol.pk).exists():
        raise DeviceError(_("You are not on this patrol task."))
    clash = CameraBooking.objects.filter(
        device=device, cancelled_at=None, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).first()
    if clash is not None:
        raise DeviceError(
            _("The camera is booked from %(start)s to %(end)s already.")
            % {
                "start": timezone.localtime(clash.starts_at).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(clash.ends_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    offset = (device_clock - timezone.now()).total_seconds() if device_clock is not None else 0.0
    booking = CameraBooking.objects.create(
        device=device,
        officer=officer,
        task_kind=task_kind,
        case=case,
        patrol=patrol,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note.strip()[:200],
        booked_by=actor,
        clock_offset=round(offset, 1),
        clock_flagged=abs(offset) > settings.FULLRECORD_DEVICE_CLOCK_TOLERANCE_SECONDS,
    )
    record(
        "devices.book",
        actor=actor,
        obj=booking,
        case_id=case.pk if case else None,
        summary=_("Booked %(device)s (%(location)s) for %(task)s")
        % {
            "device": device.number,
            "location": device.location or "—",
            "task": TaskKind(task_kind).label,
        },
        data={
            **_device_data(device),
            "officer": str(officer),
            "task": task_kind,
            "case": case.number if case else "",
            "patrol": patrol.number if patrol else "",
            "starts_at": timezone.localtime(starts_at).isoformat(),
            "ends_at": timezone.localtime(ends_at).isoformat(),
            "clock_offset": booking.clock_offset,
            "clock_flagged": booking.clock_flagged,
        },
    )
    # Footage of the window may be in already: a fixed camera records all along.
    rebind_after_commit(device, (starts_at, ends_at))
    return booking


def unbooked_footage(device: Device):
    """Footage of a fixed camera recorded outside every booking: linked to no task."""
    return MediaItem.objects.filter(
        device_binding__device=device, device_binding__booking=None
    ).order_by("-used_at")


# --- marks and clips --------------------------------------------------------------------------


def _within(item: MediaItem, seconds: float) -> bool:
    return item.duration is not None and 0 <= seconds <= item.duration


@transaction.atomic
def add_mark(item: MediaItem, *, actor: User, at_seconds: float, kind: str, note: str = "") -> Mark:
    if not access.can_mark(actor, item):
        raise DeviceError(_("You may not mark this record."))
    if kind not in MarkKind.values:
        raise DeviceError(_("Choose the kind of mark."))
    if item.duration is None:
        raise DeviceError(_("This record has no duration (yet): it cannot be marked."))
    if not _within(item, at_seconds):
        raise DeviceError(
            _("A mark must lie within the record (0 to %(duration)s seconds).")
            % {"duration": f"{item.duration:.1f}"}
        )
    mark = Mark.objects.create(
        item=item, at_seconds=round(at_seconds, 2), kind=kind, note=note[:300], made_by=actor
    )
    case_ids = list(item.case_links.values_list("case_id", flat=True)[:2])
    record(
        "devices.mark",
        actor=actor,
        obj=item,
        case_id=case_ids[0] if len(case_ids) == 1 else None,
        summary=_("Marked %(kind)s at %(at)s s in %(name)s")
        % {
            "kind": MarkKind(kind).label,
            "at": f"{mark.at_seconds:.1f}",
            "name": item.original_name,
        },
        data={"mark": mark.pk, "kind": kind, "at": mark.at_seconds, "note": note},
    )
    return mark


@transaction.atomic
def request_clip(
    item: MediaItem, *, actor: User, start: float, end: float, reason: str
) -> ClipRequest:
    """Ask for a copy of a stretch of a record through the approval path of 第十七条: the
    access request carries the range, and the copy made under it holds only the clip."""
    from fullrecord.access import services as access_services  # the app above: lazily

    if not reason.strip():
        raise DeviceError(_("Say why the clip is needed."))
    request = access_services.file_request(
        requester=actor,
        reason=_("Clip %(start)s–%(end)s s: %(reason)s")
        % {"start": f"{start:.1f}", "end": f"{end:.1f}", "reason": reason.strip()},
        purpose="copy",
        items=[item],
        clip=(start, end),
    )
    clip = ClipRequest.objects.create(
        item=item,
        start_seconds=start,
        end_seconds=end,
        requester=actor,
        access_request_id=request.pk,
    )
    record(
        "devices.clip",
        actor=actor,
        obj=item,
        summary=_("Clip of %(name)s asked for under %(number)s")
        % {"name": item.original_name, "number": request.number},
        data={"start": start, "end": end, "request": request.number},
    )
    return clip
