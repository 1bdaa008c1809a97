"""Linked audiovisual records appear on each case's timeline."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fullrecord.cases.models import Case
from fullrecord.cases.timeline import TimelineItem, provider

from .models import CaseMediaLink


@provider
def media_links(case: Case) -> list[TimelineItem]:
    links = CaseMediaLink.objects.filter(case=case).select_related("item", "linked_by")
    return [
        TimelineItem(
            at=link.item.used_at,
            kind="record",
            stage=link.stage,
            title=_("%(kind)s: %(name)s")
            % {"kind": link.item.get_kind_display(), "name": link.item.original_name},
            detail=" · ".join(
                filter(None, [link.item.device_number, str(link.item.officer or ""), link.note])
            ),
            actor=str(link.linked_by),
            link=link.item.get_absolute_url(),
            extra={
                "media_id": link.item_id,
                "thumbnail": f"/api/media/{link.item_id}/thumbnail",
                "status": link.item.status,
            },
        )
        for link in links
    ]
