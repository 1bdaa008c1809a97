"""Checkouts, faults and spare switches of a case on its timeline (第九条第六项)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fullrecord.cases.models import Case
from fullrecord.cases.timeline import TimelineItem, provider

from .models import Checkout, Fault


def checkouts_and_faults(case: Case) -> list[TimelineItem]:
    entries = []
    for checkout in Checkout.objects.filter(case=case).select_related("device", "officer"):
        spare = checkout.replaces_id is not None
        entries.append(
            TimelineItem(
                at=checkout.out_at,
                kind="device",
                stage=case.stage,
                title=(
                    _("Spare device %(device)s taken")
                    if spare
                    else _("Device %(device)s checked out")
                )
                % {"device": checkout.device.number},
                detail=checkout.task_label
                + (
                    " · "
                    + _("clock off by %(seconds)s s") % {"seconds": f"{checkout.clock_offset:+.0f}"}
                    if checkout.clock_flagged
                    else ""
                ),
                actor=str(checkout.officer),
                link=checkout.get_absolute_url(),
            )
        )
    for fault in Fault.objects.filter(case=case).select_related("device", "reported_by"):
        entries.append(
            TimelineItem(
                at=fault.reported_at,
                kind="device",
                stage=case.stage,
                title=_("Device fault: %(device)s · %(kind)s")
                % {"device": fault.device.number, "kind": fault.get_kind_display()},
                detail=fault.note,
                actor=str(fault.reported_by),
                status=fault.state,
                link=fault.get_absolute_url(),
            )
        )
    return entries


def register() -> None:
    from fullrecord.cases import timeline

    if checkouts_and_faults not in timeline._PROVIDERS:
        provider(checkouts_and_faults)
