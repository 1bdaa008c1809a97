"""What devices registers with the apps below it (called from ``DevicesConfig.ready``):
media's signals (bind footage to its checkout window), media's clock (bureau time of
footage), the case timeline (checkouts, faults and spares of a case), the to-do queue
(faults to handle), what goes with an original the retention sweep deletes, and the
audit labels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def on_item(sender, *, item_id: int, **kwargs) -> None:
    """A record arrived or changed: bind it to its device and checkout window."""
    from .services import bind_item

    bind_item(item_id)


def release_item(item) -> str:
    """An original the retention sweep deletes takes its device binding, marked moments and
    clip requests with it (the sweep's audit entry and certificate keep the record)."""
    from .models import ClipRequest, FootageBinding, Mark

    Mark.objects.filter(item=item).delete()
    ClipRequest.objects.filter(item=item).delete()
    FootageBinding.objects.filter(item=item).delete()
    return ""


DETAIL_LABELS = {
    "device": _("Device"),
    "status": _("Status"),
    "before": _("Before"),
    "after": _("After"),
    "model": _("Model"),
    "serial": _("Serial number"),
    "storage_gb": _("Storage (GB)"),
    "firmware": _("Firmware"),
    "location": _("Location"),
    "maintenance_days": _("Maintenance interval (days)"),
    "checkouts": _("Checkouts"),
    "faults_closed": _("Repairs closed"),
    "id": _("No."),
    "out_at": _("Checked out"),
    "in_at": _("Checked in"),
    "case": _("Case"),
    "holder": _("Holder"),
    "battery": _("Battery (%)"),
    "storage_free": _("Free storage (%)"),
    "officer": _("Officer"),
    "task": _("Task"),
    "patrol": _("Patrol task"),
    "starts_at": _("Starts"),
    "ends_at": _("Ends"),
    "kind": _("Kind"),
    "at": _("At (seconds)"),
    "mark": _("Mark no."),
    "start": _("From (s)"),
    "end": _("To (s)"),
    "request": _("Access request"),
    "checkout": _("Checkout"),
    "booking": _("Booking"),
    "clip": _("Clip"),
    "footage": _("Bound records"),
    "clock_offset": _("Device clock offset (s)"),
    "clock_flagged": _("Clock off beyond tolerance"),
}


def connect() -> None:
    from fullrecord.audit.labels import ACTION_LABELS, FIELD_LABELS
    from fullrecord.core import todo
    from fullrecord.media import clock, deletion, panels
    from fullrecord.media.signals import item_changed, item_received

    from . import services, timeline, views

    item_received.connect(on_item, dispatch_uid="devices.bind_received")
    item_changed.connect(on_item, dispatch_uid="devices.bind_changed")
    clock.register(services.bureau_times)
    deletion.register(release_item)
    panels.register(views.media_panel)
    timeline.register()
    todo.provider(faults_to_handle)
    ACTION_LABELS.update(
        {
            "devices.register": _("Device registered"),
            "devices.map_number": _("Device number mapped"),
            "devices.checkout": _("Device checked out"),
            "devices.checkin": _("Device checked in"),
            "devices.correct_checkout": _("Checkout corrected"),
            "devices.fault": _("Device fault reported"),
            "devices.repair": _("Device repair moved"),
            "devices.maintain": _("Device maintained"),
            "devices.override": _("Maintenance override"),
            "devices.patrol": _("Patrol task set"),
            "devices.mark": _("Moment marked in footage"),
            "devices.clip": _("Clip asked for"),
            "devices.edit": _("Device registry entry changed"),
            "devices.interval": _("Maintenance interval set"),
            "devices.retire": _("Device retired"),
            "devices.footage_lost": _("Footage declared lost"),
            "devices.book": _("Fixed camera booked"),
            "devices.correct_booking": _("Camera booking corrected"),
            "devices.cancel_booking": _("Camera booking cancelled"),
        }
    )
    # The detail keys devices writes, where no app below has named them already.
    for key, label in DETAIL_LABELS.items():
        FIELD_LABELS.setdefault(key, label)


def faults_to_handle(user):
    from fullrecord.core.todo import TodoItem

    from .access import can_repair, visible_faults
    from .choices import OPEN_FAULT_STATES

    if not user.is_authenticated:
        return []
    faults = (
        visible_faults(user)
        .filter(state__in=OPEN_FAULT_STATES)
        .select_related("device__org_unit")[:50]
    )
    return [
        TodoItem(
            kind="devices.repair",
            title=str(_("Device fault to handle: %(device)s · %(kind)s"))
            % {"device": fault.device.number, "kind": fault.get_kind_display()},
            url=fault.get_absolute_url(),
            subject=fault.device.number,
            due=fault.reported_at.date(),
        )
        for fault in faults
        if can_repair(user, fault)
    ]
