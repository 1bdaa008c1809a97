"""Pages for recording equipment. Thin: access helper, form, service, template.

The field pages (checkout, check-in, fault report) are laid out for a phone.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import OrgUnit, User
from fullrecord.cases.access import visible_cases
from fullrecord.media.access import get_item
from fullrecord.media.models import MediaItem

from . import access, services, statistics
from .api.views import spares_for
from .choices import OPEN_FAULT_STATES, DeviceKind, DeviceStatus, FaultState
from .forms import (
    BookingForm,
    CheckinForm,
    CheckoutForm,
    ClipForm,
    CorrectionForm,
    EditDeviceForm,
    FaultForm,
    FaultMoveForm,
    FootageLostForm,
    IntervalForm,
    MaintenanceForm,
    MapNumberForm,
    MarkForm,
    OverrideForm,
    PatrolForm,
    RegisterForm,
    RetireForm,
)
from .models import MAX_INTERVAL_DAYS, FootageBinding, UnknownNumber


def _bureau_units(user):
    if not user.org_unit_id:
        return OrgUnit.objects.none()
    return user.org_unit.bureau().subtree()


@login_required
@require_safe
def device_list(request: HttpRequest) -> HttpResponse:
    devices = access.visible_devices(request.user).select_related("model", "org_unit")
    status = request.GET.get("status", "")
    if status in DeviceStatus.values:
        devices = devices.filter(status=status)
    devices = list(devices[:500])
    now = timezone.now()
    mine = (
        access.visible_checkouts(request.user)
        .filter(officer=request.user, in_at=None)
        .select_related("device")
    )
    pending = services.pending_uploads(
        access.visible_checkouts(request.user).select_related("device", "officer")
    )[:50]
    unknown = (
        UnknownNumber.objects.filter(resolved_at=None)[:100]
        if access.can_resolve_numbers(request.user)
        else []
    )
    return render(
        request,
        "devices/device_list.html",
        {
            "devices": devices,
            "status": status,
            "statuses": DeviceStatus.choices,
            "mine": mine,
            "pending": pending,
            "overdue": [
                d
                for d in devices
                if d.status != DeviceStatus.RETIRED and d.maintenance_overdue(now)
            ],
            "unknown": unknown,
            "map_form": MapNumberForm() if unknown else None,
            "may_register": access.can_register(request.user),
            "may_plan": access.can_plan_patrol(request.user),
            "may_see_stats": access.can_see_statistics(request.user),
            "now": now,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def device_register(request: HttpRequest) -> HttpResponse:
    if not access.can_register(request.user):
        raise Http404
    form = RegisterForm(request.POST or None, units=_bureau_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            device = services.register_device(
                actor=request.user,
                number=data["number"],
                kind=data["kind"],
                model=form.model_object(),
                org_unit=data["org_unit"],
                serial=data["serial"],
                location=data["location"],
                storage_gb=data["storage_gb"],
                firmware=data["firmware"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Device %(number)s registered.") % {"number": device})
            return redirect(device)
    return render(request, "devices/device_form.html", {"form": form})


@login_required
@require_safe
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    device = access.get_device(request.user, pk)
    user = request.user
    open_checkout = device.checkouts.filter(in_at=None).select_related("officer").first()
    return render(
        request,
        "devices/device_detail.html",
        {
            "device": device,
            "open_checkout": open_checkout,
            "checkouts": device.checkouts.select_related("officer", "case", "patrol")[:50],
            "faults": device.faults.select_related("reported_by")[:50],
            "maintenances": device.maintenances.select_related("done_by")[:20],
            "overdue": device.maintenance_overdue(),
            "unused_override": device.overrides.filter(checkout=None).first(),
            "may_checkout": access.can_checkout(user, device)
            and device.status == DeviceStatus.AVAILABLE,
            "may_report": access.can_report_fault(user, device)
            and device.status != DeviceStatus.RETIRED,
            "may_maintain": access.can_maintain(user, device),
            "may_override": access.can_override(user, device) and device.maintenance_overdue(),
            "may_edit": access.can_edit(user, device),
            "may_retire": access.can_write_off(user, device)
            and device.status != DeviceStatus.RETIRED,
            "may_set_interval": access.can_set_interval(user, device.model),
            "footage_losses": device.footage_losses.select_related("declared_by"),
            "maintenance_form": MaintenanceForm(),
            "override_form": OverrideForm(),
            **_fixed_camera_context(user, device),
        },
    )


def _fixed_camera_context(user, device) -> dict:
    """A fixed camera's bookings, the footage outside them (unlinked) and the booking form."""
    if device.kind != DeviceKind.FIXED_CAMERA:
        return {}
    return {
        "bookings": device.bookings.select_related("officer", "case", "patrol")[:50],
        "unbooked": services.unbooked_footage(device)[:50],
        "may_book": access.can_book(user, device) and device.status != DeviceStatus.RETIRED,
        "booking_form": BookingForm(patrols=access.visible_patrols(user), device=device),
    }


@login_required
@require_POST
def device_book(request: HttpRequest, pk: int) -> HttpResponse:
    device = access.get_device(request.user, pk)
    if not access.can_book(request.user, device):
        raise Http404
    form = BookingForm(request.POST, patrols=access.visible_patrols(request.user), device=device)
    if not form.is_valid():
        messages.error(request, _("Give the task and the time the camera is booked for."))
        return redirect(device)
    data = dict(form.cleaned_data)
    number = data.pop("case_number").strip()
    data["case"] = _case_for(request.user, number)
    if number and data["case"] is None:
        messages.error(request, _("No case with this number is open to you."))
        return redirect(device)
    try:
        services.book_camera(device, actor=request.user, **data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Camera booked; its footage of that time is bound to the task.")
        )
    return redirect(device)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def device_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The registry entry: model, serial, owning section, storage, firmware, location."""
    device = access.get_device(request.user, pk)
    if not access.can_edit(request.user, device):
        raise Http404
    names = ("model", "serial", "org_unit", "storage_gb", "firmware", "location")
    form = EditDeviceForm(
        request.POST or None,
        initial={name: getattr(device, name) for name in names},
        device=device,
        units=access.owning_units(request.user),
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if getattr(device, k) != v}
        try:
            services.edit_device(device, actor=request.user, changes=changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The registry entry is changed; the log keeps the old one.")
            )
            return redirect(device)
    return render(request, "devices/device_edit.html", {"device": device, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def device_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire or write off (第九条第六项、第十八条第五项): the storage card first — its
    footage ingested, or declared lost — then the reason."""
    device = access.get_device(request.user, pk)
    if not access.can_write_off(request.user, device) or device.status == DeviceStatus.RETIRED:
        raise Http404
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.retire_device(device, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(device)s is retired.") % {"device": device})
            return redirect(device)
    return render(
        request,
        "devices/device_retire.html",
        {
            "device": device,
            "form": form,
            "pending": services.pending_uploads(device.checkouts.all()).select_related(
                "officer", "case", "patrol"
            ),
            "lost_form": FootageLostForm(prefix="lost"),
            "footage_losses": device.footage_losses.select_related("declared_by"),
        },
    )


@login_required
@require_POST
def footage_lost(request: HttpRequest, pk: int) -> HttpResponse:
    device = access.get_device(request.user, pk)
    if not access.can_declare_footage_lost(request.user, device):
        raise Http404
    form = FootageLostForm(request.POST, prefix="lost")
    if form.is_valid():
        try:
            loss = services.declare_footage_lost(
                device, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The footage of %(count)s checkout(s) is declared lost; the inspectors see it.")
                % {"count": loss.checkouts.count()},
            )
    else:
        messages.error(request, _("Say why the footage is lost."))
    if device.status == DeviceStatus.RETIRED:
        return redirect(device)
    return redirect("devices:retire", pk=device.pk)


# Devices whose maintenance falls due within this many days are listed as due.
DUE_SOON = timedelta(days=30)


@login_required
@require_safe
def maintenance_page(request: HttpRequest) -> HttpResponse:
    """第十四条: the interval of each model, the devices due and those overdue."""
    user = request.user
    now = timezone.now()
    devices = sorted(
        access.visible_devices(user)
        .exclude(status=DeviceStatus.RETIRED)
        .select_related("model", "org_unit"),
        key=lambda d: d.maintenance_due,
    )
    per_model = Counter(d.model_id for d in devices)
    models = list(access.visible_models(user))
    for model in models:
        model.device_count = per_model.get(model.pk, 0)
        model.may_set = access.can_set_interval(user, model)
        model.form = IntervalForm(
            initial={"maintenance_days": model.maintenance_days}, prefix=f"m{model.pk}"
        )
    return render(
        request,
        "devices/maintenance.html",
        {
            "models": models,
            "overdue": [d for d in devices if d.maintenance_due < now],
            "due": [d for d in devices if now <= d.maintenance_due < now + DUE_SOON],
            "due_days": DUE_SOON.days,
            "now": now,
        },
    )


@login_required
@require_POST
def model_interval(request: HttpRequest, pk: int) -> HttpResponse:
    model = access.get_model(request.user, pk)
    if not access.can_set_interval(request.user, model):
        raise Http404
    form = IntervalForm(request.POST, prefix=f"m{model.pk}")
    if form.is_valid():
        try:
            services.set_maintenance_interval(
                model, actor=request.user, days=form.cleaned_data["maintenance_days"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(model)s: maintenance every %(days)s days from now on.")
                % {"model": model.name, "days": form.cleaned_data["maintenance_days"]},
            )
    else:
        messages.error(
            request,
            _("The maintenance interval is from 1 to %(max)s days.") % {"max": MAX_INTERVAL_DAYS},
        )
    return redirect("devices:maintenance")


def _case_for(user, number: str):
    number = number.strip()
    if not number:
        return None
    return visible_cases(user).filter(number=number).first()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def checkout_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The field page: task, function check, device clock, battery; a spare if it fails."""
    device = access.get_device(request.user, pk)
    if not access.can_checkout(request.user, device):
        raise Http404
    initial = {
        key: request.GET[key]
        for key in ("task_kind", "case_number", "patrol", "task_note", "replaces")
        if key in request.GET
    }
    form = CheckoutForm(
        request.POST or None,
        initial=initial,
        patrols=access.visible_patrols(request.user).filter(ends_at__gte=timezone.now()),
    )
    blocked = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = _case_for(request.user, data["case_number"])
        replaces = None
        if data.get("replaces"):
            replaces = access.visible_faults(request.user).filter(pk=data["replaces"]).first()
        if data["case_number"].strip() and case is None:
            form.add_error("case_number", _("No case with this number is open to you."))
        else:
            try:
                result = services.checkout_device(
                    device,
                    actor=request.user,
                    task_kind=data["task_kind"],
                    checklist=form.checklist(),
                    case=case,
                    patrol=data["patrol"],
                    task_note=data["task_note"],
                    device_clock=data["device_clock"],
                    battery=data["battery"],
                    replaces=replaces,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if not result.blocked:
                    checkout = result.checkout
                    if checkout.clock_flagged:
                        messages.warning(
                            request,
                            _(
                                "The device clock is off by %(seconds)s seconds: it is kept and "
                                "applied to its footage; have the clock set at the next maintenance."
                            )
                            % {"seconds": f"{checkout.clock_offset:+.0f}"},
                        )
                    messages.success(
                        request, _("%(device)s is checked out to you.") % {"device": device}
                    )
                    return redirect(checkout)
                blocked = {
                    "fault": result.fault,
                    "spares": spares_for(request.user, device),
                    "carry": {
                        "task_kind": data["task_kind"],
                        "case_number": data["case_number"],
                        "patrol": data["patrol"].pk if data["patrol"] else "",
                        "task_note": data["task_note"],
                        "replaces": result.fault.pk,
                    },
                }
    return render(
        request,
        "devices/checkout_form.html",
        {
            "device": device,
            "form": form,
            "blocked": blocked,
            "overdue": device.maintenance_overdue(),
        },
    )


@login_required
@require_safe
def checkout_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checkout = access.get_checkout(request.user, pk)
    bindings = checkout.bindings.select_related("item").order_by("bureau_time")
    return render(
        request,
        "devices/checkout_detail.html",
        {
            "checkout": checkout,
            "bindings": bindings,
            "corrections": _corrections(checkout),
            "checklist": [
                (label, checkout.checklist.get(value)) for value, label in _check_labels()
            ],
            "may_checkin": checkout.is_open and access.can_checkin(request.user, checkout),
            "may_correct": access.can_correct(request.user, checkout),
            "may_report": checkout.is_open
            and access.can_report_fault(request.user, checkout.device),
            "checkin_form": CheckinForm(),
        },
    )


def _corrections(checkout) -> list:
    from .forms import CorrectionForm

    labels = {name: field.label for name, field in CorrectionForm.base_fields.items()}
    rows = []
    for correction in checkout.corrections.select_related("actor"):
        correction.changes = [
            (labels.get(name, name), correction.before.get(name, ""), new)
            for name, new in correction.after.items()
        ]
        rows.append(correction)
    return rows


def _check_labels():
    from .choices import CheckItem

    return CheckItem.choices


@login_required
@require_POST
def checkout_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    checkout = access.get_checkout(request.user, pk)
    if not access.can_checkin(request.user, checkout):
        raise Http404
    form = CheckinForm(request.POST)
    if form.is_valid():
        try:
            services.checkin_device(
                checkout,
                actor=request.user,
                battery=form.cleaned_data["battery"],
                storage_free=form.cleaned_data["storage_free"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(device)s is checked in.") % {"device": checkout.device})
    else:
        messages.error(request, _("Battery and free storage are percentages from 0 to 100."))
    return redirect(checkout)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def checkout_correct(request: HttpRequest, pk: int) -> HttpResponse:
    checkout = access.get_checkout(request.user, pk)
    if not access.can_correct(request.user, checkout):
        raise Http404
    initial = {
        "out_at": timezone.localtime(checkout.out_at).replace(tzinfo=None),
        "in_at": timezone.localtime(checkout.in_at).replace(tzinfo=None)
        if checkout.in_at
        else None,
        "officer": checkout.officer,
        "clock_offset": checkout.clock_offset,
        "task_kind": checkout.task_kind,
        "case_number": checkout.case.number if checkout.case_id else "",
        "patrol": checkout.patrol,
        "task_note": checkout.task_note,
    }
    form = CorrectionForm(request.POST or None, initial=initial, checkout=checkout)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        number = data.pop("case_number").strip()
        data["case"] = _case_for(request.user, number)
        if number and data["case"] is None:
            form.add_error("case_number", _("No case with this number is open to you."))
            return render(
                request, "devices/checkout_correct.html", {"checkout": checkout, "form": form}
            )
        if checkout.in_at is None and data.get("in_at") is None:
            data.pop("in_at", None)
        changes = {k: v for k, v in data.items() if getattr(checkout, k) != v}
        try:
            services.correct_checkout(checkout, actor=request.user, reason=reason, changes=changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Checkout corrected; its footage is bound again."))
            return redirect(checkout)
    return render(request, "devices/checkout_correct.html", {"checkout": checkout, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def fault_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The field page: one step, the section head is told at once."""
    device = access.get_device(request.user, pk)
    if not access.can_report_fault(request.user, device):
        raise Http404
    form = FaultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fault = services.report_fault(
                device,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Fault reported; your section head has been told."))
            return redirect(fault)
    return render(request, "devices/fault_form.html", {"device": device, "form": form})


@login_required
@require_safe
def fault_list(request: HttpRequest) -> HttpResponse:
    faults = access.visible_faults(request.user).select_related("device", "reported_by")
    return render(
        request,
        "devices/fault_list.html",
        {
            "open": faults.filter(state__in=OPEN_FAULT_STATES)[:200],
            "closed": faults.exclude(state__in=OPEN_FAULT_STATES)[:50],
        },
    )


@login_required
@require_safe
def fault_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fault = access.get_fault(request.user, pk)
    may_repair = access.can_repair(request.user, fault) and fault.state in OPEN_FAULT_STATES
    spares = []
    if fault.reported_by_id == request.user.pk and fault.state in OPEN_FAULT_STATES:
        spares = spares_for(request.user, fault.device)
    return render(
        request,
        "devices/fault_detail.html",
        {
            "fault": fault,
            "steps": fault.steps.select_related("actor"),
            "spare_checkouts": fault.spares.select_related("device"),
            "may_repair": may_repair,
            "may_retire": may_repair and access.can_write_off(request.user, fault.device),
            "move_form": FaultMoveForm(),
            "spares": spares,
            "states": FaultState,
        },
    )


@login_required
@require_POST
def fault_move(request: HttpRequest, pk: int) -> HttpResponse:
    fault = access.get_fault(request.user, pk)
    if not access.can_repair(request.user, fault):
        raise Http404
    form = FaultMoveForm(request.POST)
    if form.is_valid():
        try:
            services.move_fault(fault, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Repair moved."))
    else:
        messages.error(request, _("Choose where the repair moves."))
    return redirect(fault)


@login_required
@require_POST
def device_maintain(request: HttpRequest, pk: int) -> HttpResponse:
    device = access.get_device(request.user, pk)
    if not access.can_maintain(request.user, device):
        raise Http404
    form = MaintenanceForm(request.POST)
    if form.is_valid():
        try:
            services.log_maintenance(device, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Maintenance logged."))
    return redirect(device)


@login_required
@require_POST
def device_override(request: HttpRequest, pk: int) -> HttpResponse:
    device = access.get_device(request.user, pk)
    if not access.can_override(request.user, device):
        raise Http404
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.grant_override(device, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The device may go out once; the override is logged."))
    else:
        messages.error(request, _("Say why the device may go out unmaintained."))
    return redirect(device)


@login_required
@require_POST
def map_number(request: HttpRequest) -> HttpResponse:
    if not access.can_resolve_numbers(request.user):
        raise Http404
    form = MapNumberForm(request.POST)
    if form.is_valid():
        device = (
            access.visible_devices(request.user)
            .filter(number=form.cleaned_data["device"].strip())
            .first()
        )
        if device is None:
            messages.error(request, _("No registered device has this number."))
        else:
            try:
                services.map_number(form.cleaned_data["number"], device, actor=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Number mapped; its footage is bound to the device."))
    return redirect("devices:list")


@login_required
@require_safe
def patrol_list(request: HttpRequest) -> HttpResponse:
    patrols = access.visible_patrols(request.user).select_related("org_unit")[:200]
    return render(
        request,
        "devices/patrol_list.html",
        {"patrols": patrols, "may_plan": access.can_plan_patrol(request.user)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def patrol_create(request: HttpRequest) -> HttpResponse:
    if not access.can_plan_patrol(request.user):
        raise Http404
    user = request.user
    units = (
        _bureau_units(user) if user.has_role(Role.LEADER) else user.org_unit.subtree()
    ).order_by("path")
    officers = User.objects.filter(
        role_grants__role=Role.OFFICER, is_active=True, org_unit__in=units
    ).distinct()
    form = PatrolForm(request.POST or None, units=units, officers=officers)
    if request.method == "POST" and form.is_valid():
        try:
            patrol = services.plan_patrol(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Patrol task %(number)s set.") % {"number": patrol.number})
            return redirect(patrol)
    return render(request, "devices/patrol_form.html", {"form": form})


@login_required
@require_safe
def patrol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patrol = access.get_patrol(request.user, pk)
    footage = MediaItem.objects.filter(task_reference=patrol.number)
    from fullrecord.media.access import visible_media

    return render(
        request,
        "devices/patrol_detail.html",
        {
            "patrol": patrol,
            "team": patrol.team.all(),
            "checkouts": patrol.checkouts.select_related("device", "officer"),
            "footage": visible_media(request.user).filter(pk__in=footage.values("pk"))[:200],
        },
    )


@login_required
@require_safe
def statistics_page(request: HttpRequest) -> HttpResponse:
    if not access.can_see_statistics(request.user):
        raise Http404
    numbers = statistics.compute(request.user)
    return render(
        request,
        "devices/statistics.html",
        {
            "numbers": numbers,
            "chart_data": json.dumps(numbers, ensure_ascii=False),
            "chart_tables": [
                ("devices", _("Checkouts, hours out and footage hours, per device")),
                ("officers", _("Checkouts, hours out and footage hours, per officer")),
                ("sections", _("Checkouts, hours out and footage hours, per section")),
            ],
        },
    )


@login_required
@require_POST
def mark_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request.user, pk)
    if not access.can_mark(request.user, item):
        raise Http404
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            services.add_mark(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Moment marked."))
    else:
        messages.error(request, _("Give the moment in seconds and its kind."))
    return redirect(item)


@login_required
@require_POST
def clip_request(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request.user, pk)
    form = ClipForm(request.POST)
    if form.is_valid():
        try:
            clip = services.request_clip(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Clip asked for; the leader in charge decides."))
            return redirect("access:detail", pk=clip.access_request_id)
    else:
        messages.error(request, _("Give the clip's start, end and reason."))
    return redirect(item)


def media_panel(request: HttpRequest, item: MediaItem) -> str:
    """Registered with ``media.panels``: marks on the record's page, and the clip form."""
    from django.template.loader import render_to_string

    binding = (
        FootageBinding.objects.filter(item=item)
        .select_related("device", "checkout__officer")
        .first()
    )
    return render_to_string(
        "devices/_media_panel.html",
        {
            "item": item,
            "marks": item.marks.select_related("made_by"),
            "binding": binding,
            "may_mark": access.can_mark(request.user, item) and item.duration is not None,
            "mark_form": MarkForm(),
            "clip_form": ClipForm(),
            "may_clip": item.duration is not None,
        },
        request=request,
    )
