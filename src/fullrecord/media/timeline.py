"""Linked audiovisual records appear on each case's timeline, at bureau time."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fullrecord.cases.models import Case
from fullrecord.cases.timeline import TimelineItem, provider

from .clock import bureau_times, correction_note
from .models import CaseMediaLink


@provider
def media_links(case: Case) -> list[TimelineItem]:
    links = list(CaseMediaLink.objects.filter(case=case).select_related("item", "linked_by"))
    corrected = bureau_times([link.item for link in links])
    entries = []
    for link in links:
        item = link.item
        # Placed (and so sorted) at the bureau's time; the device's own time stays beside it.
        at = corrected.get(item.pk, item.used_at)
        clock_note = correction_note(item.used_at, corrected.get(item.pk))
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
                    "clock_offset": (item.used_at - at).total_seconds(),
                },
            )
        )
    return entries
