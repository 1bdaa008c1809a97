"""The party's papers (当事人提交材料, 第十条第三项): what each party of a case must submit,
by the case's cause (案由) and the kind of party, and what is on file.

The checklist of a party is the active ``PaperItem`` rows of the case's cause and those
for every cause, for that kind of party or for both. An item is *filed* when a scan was
filed against it for that party, *not applicable* when an officer said why it does not
apply, *missing* when it is required and neither, else *optional*. Reading only; the
changes are ``services.upload_party_paper`` and ``services.mark_not_applicable``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from fullrecord.cases.models import Case, Party

from .choices import Status
from .models import Document, PaperItem, PaperNotApplicable

FILED, NOT_APPLICABLE, MISSING, OPTIONAL = "filed", "not_applicable", "missing", "optional"


@dataclass
class Line:
    """One item of one party's checklist and where it stands."""

    item: PaperItem
    papers: list[Document] = field(default_factory=list)
    not_applicable: PaperNotApplicable | None = None

    @property
    def status(self) -> str:
        if self.papers:
            return FILED
        if self.not_applicable is not None:
            return NOT_APPLICABLE
        return MISSING if self.item.required else OPTIONAL


@dataclass
class PartyChecklist:
    party: Party
    lines: list[Line]

    @property
    def missing(self) -> list[Line]:
        return [line for line in self.lines if line.status == MISSING]

    @property
    def missing_names(self) -> list[str]:
        return [line.item.name for line in self.missing]

    @property
    def complete(self) -> bool:
        return not self.missing


def items_of(case: Case) -> list[PaperItem]:
    """The active items the case's cause asks for, for any kind of party."""
    return list(
        PaperItem.objects.filter(Q(cause__isnull=True) | Q(cause_id=case.cause_id), active=True)
    )


def item_for(case: Case, party: Party, pk) -> PaperItem | None:
    """The item ``pk`` if it is on ``party``'s checklist in ``case``."""
    return next((i for i in items_of(case) if str(i.pk) == str(pk) and i.applies_to(party)), None)


def checklists(case: Case) -> list[PartyChecklist]:
    """Each party's checklist, in the parties' order: four queries whatever the size."""
    items = items_of(case)
    papers: dict[tuple[int, int], list[Document]] = {}
    for doc in (
        case.documents.filter(paper_item__isnull=False, party__isnull=False, status=Status.RECEIVED)
        .select_related("paper_item")
        .order_by("pk")
    ):
        papers.setdefault((doc.party_id, doc.paper_item_id), []).append(doc)
    marks = {
        (m.party_id, m.item_id): m
        for m in PaperNotApplicable.objects.filter(case=case, party__isnull=False).select_related(
            "recorded_by"
        )
    }
    return [
        PartyChecklist(
            party,
            [
                Line(
                    item,
                    papers.get((party.pk, item.pk), []),
                    marks.get((party.pk, item.pk)),
                )
                for item in items
                if item.applies_to(party)
            ],
        )
        for party in case.parties.all()
    ]


def entry_code(line: Line, party: Party) -> str:
    """The stable name of a cell of the completeness grid (what an exception names)."""
    return f"paper-{line.item.pk}-party-{party.pk}"
