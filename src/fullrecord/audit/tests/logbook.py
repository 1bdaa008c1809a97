"""A known audit log over the persona bureau, for the search and access tests.

Each named entry is about something whose reach is known: a case or record of
section one or two, a person of the bureau, nothing at all, or another county.
Ingesting the two records writes ``media.ingest`` entries too; tests compare only
the named ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fullrecord.audit.models import AuditEntry
from fullrecord.audit.services import record
from fullrecord.cases.models import Case
from fullrecord.core.testing.factories import AssignmentFactory, CaseFactory
from fullrecord.media.models import MediaItem
from fullrecord.media.tests.evidence import ingest_bytes


@dataclass
class Logbook:
    case1: Case
    case2: Case
    item1: MediaItem
    item2: MediaItem
    entries: dict[str, AuditEntry] = field(default_factory=dict)

    def names(self, queryset) -> set[str]:
        seqs = set(queryset.values_list("seq", flat=True))
        return {name for name, entry in self.entries.items() if entry.seq in seqs}


def write_logbook(bureau) -> Logbook:
    case1 = CaseFactory(number="QH1-2026-001", org_unit=bureau.section1, created_by=bureau.leader)
    case2 = CaseFactory(number="QH2-2026-001", org_unit=bureau.section2, created_by=bureau.leader)
    AssignmentFactory(case=case1, officer=bureau.officer)
    AssignmentFactory(case=case2, officer=bureau.other_officer)
    item1 = ingest_bytes(bureau.officer, b"section one footage", "一科.mp4").item
    item2 = ingest_bytes(bureau.other_officer, b"section two footage", "二科.mp4").item
    book = Logbook(case1, case2, item1, item2)

    def add(name, action, actor=None, obj=None, case=None, summary=""):
        book.entries[name] = record(
            action,
            actor=actor,
            obj=obj,
            case_id=case.pk if case else None,
            summary=summary or name,
        )

    add("officer_case1", "case.edit", bureau.officer, case1, case1, "编辑案件 QH1-2026-001")
    add("officer2_case1", "case.edit", bureau.officer2, case1, case1)
    add("legal_case1", "case.review", bureau.legal, case1, case1)
    add("other_officer_case2", "case.edit", bureau.other_officer, case2, case2)
    add("leader_case2", "case.transition", bureau.leader, case2, case2)
    add("officer_item1", "media.view", bureau.officer, item1)
    add("other_officer_item2", "media.view", bureau.other_officer, item2)
    add("leader_item2", "media.play", bureau.leader, item2)
    add("failed_officer", "account.login_failed", None, bureau.officer)
    add("failed_unknown", "account.login_failed", None, None)
    add("outsider", "case.edit", bureau.outsider_leader)
    return book


# Which named entries each persona reads (audit.access rules).
BUREAU_WIDE = {
    "officer_case1",
    "officer2_case1",
    "legal_case1",
    "other_officer_case2",
    "leader_case2",
    "officer_item1",
    "other_officer_item2",
    "leader_item2",
    "failed_officer",
}
EXPECTED = {
    "officer": {"officer_case1", "officer_item1"},
    "officer2": {"officer2_case1"},
    "other_officer": {"other_officer_case2", "other_officer_item2"},
    "head": {
        "officer_case1",
        "officer2_case1",
        "legal_case1",
        "officer_item1",
        "failed_officer",
    },
    "other_head": {"other_officer_case2", "leader_case2", "other_officer_item2", "leader_item2"},
    "leader": BUREAU_WIDE,
    "inspector": BUREAU_WIDE,
    "admin": BUREAU_WIDE | {"failed_unknown"},
    "legal": {"legal_case1"},
    "archivist": set(),
    "outsider_leader": {"outsider"},
    "nobody": set(),
    # 三员 (security app): the security administrator reads only their own entries; the
    # audit administrator reads every entry, the outsider's and unknown failures included.
    "security_admin": set(),
    "audit_admin": BUREAU_WIDE | {"failed_unknown", "outsider"},
}
