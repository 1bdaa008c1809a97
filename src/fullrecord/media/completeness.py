"""Which stages of a case expect footage, and whether it is linked (第九条, 第十一条).

第十一条 asks for audio and video of the whole process where conditions allow,
and of the key moments where they do not; 第九条 names the moments a body
camera must record: patrols, site surveys and questioning (一), dissuading and
correcting on site (三), sensitive incidents (四), an uncooperative party (五).
A stage's footage is present when at least one audiovisual record is linked to
the case at that stage (``CaseMediaLink.stage``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from fullrecord.cases.choices import DiscoverySource, RecordKind, Stage
from fullrecord.cases.completeness import Entry, register, stages_reached
from fullrecord.cases.models import Case

from .models import CaseMediaLink


@dataclass(frozen=True)
class Expected:
    label: object
    required: bool
    basis: str


EXPECTED: dict[str, Expected] = {
    # A patrol finds the violation on site with the camera on (第九条第一项); a public
    # report or a satellite image has no footage of its own.
    Stage.DISCOVERY: Expected(_("Footage of the patrol that found it"), True, "第九条第一项"),
    Stage.STOPPING: Expected(_("Footage of stopping the violation on site"), True, "第九条第三项"),
    Stage.INVESTIGATION: Expected(
        _("Footage of the site survey and questioning"), True, "第九条第一项、第十一条"
    ),
    # Required for 留置送达 (service by leaving the papers, witnessed); the method is
    # recorded with the written records, so here it is expected, not required.
    Stage.SERVICE: Expected(_("Footage of the service"), False, "第十条第一项"),
    Stage.ENFORCEMENT: Expected(_("Footage of the enforcement on site"), True, "第十一条"),
}

CODE = "footage"


def expected_at(case: Case, stage: str) -> Expected | None:
    expected = EXPECTED.get(stage)
    if stage == Stage.DISCOVERY and case.source != DiscoverySource.PATROL:
        return None
    return expected


@register
def footage(case: Case) -> list[Entry]:
    stages = [s for s in stages_reached(case) if expected_at(case, s)]
    if not stages:
        return []
    counts = dict(
        CaseMediaLink.objects.filter(case=case, stage__in=stages)
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    url = f"{reverse('media:list')}?case={case.pk}"
    found = []
    for stage in stages:
        expected = expected_at(case, stage)
        n = counts.get(stage, 0)
        found.append(
            Entry(
                stage=stage,
                kind=RecordKind.AUDIOVISUAL,
                label=expected.label,
                present=n > 0,
                required=expected.required,
                detail=" · ".join(
                    filter(
                        None,
                        [
                            ngettext("%(n)s record", "%(n)s records", n) % {"n": n} if n else "",
                            expected.basis,
                        ],
                    )
                ),
                url=url if n else "",
                code=CODE,
            )
        )
    return found
