"""What supervision reads from the recording-devices app (第九条第一项、第十八条第四项、第二十条).

Registered in ``SupervisionConfig.ready``: automatic findings (footage recorded outside
any checkout; storage-card footage declared lost), the footage review's 告知 check from the devices app's marks,
and the dashboard's device checkouts per section, officer and month. Read-only.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fullrecord.accounts.models import OrgUnit
from fullrecord.devices.choices import PORTABLE_KINDS, DeviceKind, MarkKind
from fullrecord.devices.models import Checkout, FootageLoss, Mark
from fullrecord.media import deletion
from fullrecord.media.models import MediaItem

from . import checks, figures, findings
from .choices import MachineCheck

# Devices that stay where they are: their footage is never covered by a checkout.
STATIONARY = (DeviceKind.FIXED_CAMERA, DeviceKind.DOCKING_STATION)


@findings.register(
    "outside_checkout", gettext_lazy("Footage recorded outside any checkout"), "9(1), 18(4)"
)
def outside_checkout(bureau: OrgUnit, start: date, end: date):
    """Footage of a portable device (or of a number no device is registered under) that no
    checkout window covers: recorded without the device being checked out (第九条第一项)."""
    items = (
        findings._items(bureau, start, end)
        .exclude(device_number="")
        .exclude(device_binding__checkout__isnull=False)
        .exclude(device_binding__device__kind__in=STATIONARY)
    )
    return findings.listing(
        items,
        lambda i: findings._item_finding(i, _("Device %(device)s") % {"device": i.device_number}),
    )


@findings.register("footage_lost", gettext_lazy("Storage-card footage declared lost"), "18(5)")
def footage_declared_lost(bureau: OrgUnit, start: date, end: date):
    """The section heads' declarations that the footage of checkouts will not come (a card
    lost with its device, broken or wiped), with their reasons (第十八条第五项)."""
    low, high = findings._bounds(start, end)
    losses = (
        FootageLoss.objects.filter(
            device__org_unit__path__startswith=bureau.path,
            declared_at__gte=low,
            declared_at__lt=high,
        )
        .select_related("device", "declared_by")
        .order_by("-declared_at", "-id")
    )

    def finding(loss):
        windows = list(loss.checkouts.select_related("officer").order_by("out_at"))
        return findings.Finding(
            title=_("Device %(device)s") % {"device": loss.device.number},
            detail=_("%(who)s: %(reason)s (checkouts of %(officers)s)")
            % {
                "who": loss.declared_by,
                "reason": loss.reason,
                "officers": "、".join(sorted({str(w.officer) for w in windows})),
            },
            url=loss.device.get_absolute_url(),
            at=loss.declared_at,
            officer_id=windows[0].officer_id if windows else None,
            unit_id=loss.device.org_unit_id,
            case_id=next((w.case_id for w in windows if w.case_id), None),
        )

    return findings.listing(losses, finding)


def notice_given(item: MediaItem) -> checks.Check:
    """第九条: the party was told recording is on — a 告知 mark on this recording session."""
    if item.session_id:
        session_items = MediaItem.objects.filter(session_id=item.session_id).values("pk")
        marked = Mark.objects.filter(item__in=session_items, kind=MarkKind.NOTICE).exists()
    else:
        marked = Mark.objects.filter(item=item, kind=MarkKind.NOTICE).exists()
    if marked:
        return checks.Check(MachineCheck.NOTICE, True, [])
    return checks.Check(
        MachineCheck.NOTICE, False, [_("No 告知 mark on this recording: check the footage.")]
    )


def within_checkout(item: MediaItem) -> checks.Check:
    binding = getattr(item, "device_binding", None)
    if not item.device_number or (binding is not None and binding.checkout_id):
        return checks.Check("checkout", True, [])
    if binding is not None and binding.device.kind not in PORTABLE_KINDS:
        return checks.Check("checkout", True, [])  # a fixed camera is never checked out
    return checks.Check(
        "checkout",
        False,
        [_("Recorded outside any checkout of device %(device)s.") % {"device": item.device_number}],
    )


def count_checkouts(counter: figures.Counter) -> None:
    """Device use: checkouts per month of checking out, for the device's unit and the officer."""
    zone = timezone.get_current_timezone()
    for out_at, unit, officer in Checkout.objects.order_by().values_list(
        "out_at", "device__org_unit_id", "officer_id"
    ):
        month = figures._month(out_at, zone)
        figures._add(counter, "checkouts", month, unit, None, 1, 1)
        if officer:
            figures._add(counter, "checkouts", month, unit, officer, 1, 1)


def keep_reviewed(item: MediaItem) -> str:
    """Footage the inspection team sampled or named in a rectification order stays with
    its review: the retention sweep keeps it and says why (第十九条、第二十条)."""
    from .models import Rectification, SampleEntry

    entry = SampleEntry.objects.filter(item=item).select_related("draw__plan").first()
    if entry is not None:
        return _("sampled for inspection plan %(plan)s; kept with its review") % {
            "plan": entry.draw.plan
        }
    order = Rectification.objects.filter(Q(item=item) | Q(evidence=item)).first()
    if order is not None:
        return _("named in rectification order %(order)s; kept with it") % {"order": order}
    return ""


def device_numbers(bureau: OrgUnit, table: dict | None = None) -> list[str]:
    """Footage sources a plan can stratify by: the bureau's registered devices (body and
    fixed cameras alike), and any device number a plan's size table already names."""
    from fullrecord.devices.models import Device

    numbers = set(
        Device.objects.filter(org_unit__path__startswith=bureau.path).values_list(
            "number", flat=True
        )
    )
    numbers |= set(((table or {}).get("footage") or {}).keys())
    return sorted(numbers)


def register() -> None:
    deletion.register(keep_reviewed)
    checks.register_item_check(MachineCheck.NOTICE, notice_given)
    checks.register_item_check("checkout", within_checkout)
    figures.EXTRA_METRICS["checkouts"] = count_checkouts
