"""Long-term holds on a case (or on its evidence) appear on the case's timeline."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fullrecord.cases.models import Case
from fullrecord.cases.timeline import TimelineItem, provider
from fullrecord.media.models import CaseMediaLink

from .models import Hold


@provider
def holds(case: Case) -> list[TimelineItem]:
    items = CaseMediaLink.objects.filter(case=case).values("item_id")
    rows = Hold.objects.filter(case=case) | Hold.objects.filter(item_id__in=items)
    return [
        TimelineItem(
            at=hold.placed_at,
            kind="hold",
            stage=case.stage,
            title=_("Long-term hold: %(label)s") % {"label": hold.label},
            detail=f"{hold.get_reason_display()} · {hold.get_state_display()}",
            actor=str(hold.placed_by),
            link=hold.get_absolute_url(),
        )
        for hold in rows.select_related("placed_by").distinct()
    ]
