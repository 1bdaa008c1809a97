"""Linked audiovisual records appear on each case's timeline, at bureau time."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.cases.models import Case
from fullrecord.cases.timeline import TimelineItem, provider

from .clock import bureau_times
from .models import CaseMediaLink


@provider
def media_links(case: Case) -> list[TimelineItem]:
    links = list(CaseMediaLink.objects.filter(case=case).select_related("item", "linked_by"))
    corrected = bureau_times([link.item for link in links])
    entries = []
    for link in links:
        item = link.item
        at = corrected.get(item.pk, item.used_at)
        clock_note = ""
        if item.pk in corrected and abs((at - item.used_at).total_seconds()) >= 1:
            clock_note = _("device clock %(time)s") % {
                "time": timezone.localtime(item.used_at).strftime("%Y-%m-%d %H:%M:%S")
            }
        entries.append(
            TimelineItem(
                at=at,
                kind="record",
                stage=link.stage,
                title=_("%(kind)s: %(name)s")
                % {"kind": item.get_kind_display(), "name": item.original_name},
                detail=" · ".join(
                    filter(
                        None, [item.device_number, str(item.officer or ""), clock_note, link.note]
                    )
                ),
                actor=str(link.linked_by),
                link=item.get_absolute_url(),
                extra={
                    "media_id": link.item_id,
                    "thumbnail": f"/api/media/{link.item_id}/thumbnail",
                    "status": item.status,
                    "device_time": item.used_at.isoformat(),
                },
            )
        )
    return entries
