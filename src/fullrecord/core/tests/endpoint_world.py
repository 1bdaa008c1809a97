"""The objects the endpoint matrix calls every URL with, and who reaches each of them.

One county bureau (the personas of ``core.testing.personas``) with:

- ``case1`` in section one, officer and officer2 assigned, one party, still at 发现 so the
  officer's ``stop`` move is open; ``case2`` in section two, other_officer assigned;
- ``item1`` recorded by the officer and linked to ``case1``, with a thumbnail, a poster and
  a playable copy; ``item2`` recorded by other_officer, linked to nothing;
- the officer's pending request (view ``item2``) and approved request (copies, ``case2`` and
  ``item2``), under which a watermarked copy of ``item2`` is ready; the archivist's approved
  export request (``item1``);
- a change of ``case1``'s summary asked by the officer, awaiting the head's approval;
- a signed tree head over the whole log.

The persona groups below say who reaches what; they are the access matrix of
``docs/access.md`` applied to these objects.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import time_machine
from django.conf import settings
from django.utils import timezone

from fullrecord.access import services as access_services
from fullrecord.access.copies import copies_dir
from fullrecord.access.models import AccessRequest, Copy
from fullrecord.accounts.models import OrgUnit, User
from fullrecord.audit.models import AuditEntry
from fullrecord.audit.services import sign_tree_head
from fullrecord.cases import completeness
from fullrecord.cases import services as case_services
from fullrecord.cases.models import Case, CaseChange, Cause, Party, TimeLimitRule
from fullrecord.core.testing.factories import resident_id
from fullrecord.core.testing.personas import PERSONAS, Bureau, build_bureau
from fullrecord.devices.tests.matrix_world import DevicesWorld
from fullrecord.devices.tests.matrix_world import build as build_devices
from fullrecord.documents.tests.world import DocumentWorld
from fullrecord.documents.tests.world import build as build_documents
from fullrecord.media import derived
from fullrecord.media import services as media_services
from fullrecord.media.models import Derivative, MediaItem, Upload
from fullrecord.media.tests.evidence import ingest_bytes
from fullrecord.retention import services as retention_services
from fullrecord.retention.models import CaseExport, Hold, Sweep
from fullrecord.supervision.tests import matrix_world as supervision_world

ANONYMOUS = "anonymous"


def who(*names: str) -> frozenset[str]:
    unknown = set(names) - set(PERSONAS)
    assert not unknown, f"not a persona: {unknown}"
    return frozenset(names)


EVERYONE = who(*PERSONAS)
NOBODY = frozenset()
WITH_A_ROLE = EVERYONE - {"nobody"}
BUREAU_WIDE = who("leader", "legal", "inspector", "archivist")
# cases.access: assigned officers, the section's head, the bureau-wide roles.
CASE1_VIEW = who("officer", "officer2", "head") | BUREAU_WIDE
CASE1_EDIT = who("officer", "officer2", "head", "leader")
CASE1_ASSIGN = who("head", "leader")
CASE1_STOP = who("officer", "officer2", "head")  # workflow.TRANSITIONS["stop"]
# The officer reaches case2 only through the approved request (第十七条).
CASE2_VIEW = who("other_officer", "other_head", "officer") | BUREAU_WIDE
CASE2_EDIT = who("other_officer", "other_head", "leader")
CASE_OPENERS = who(
    "officer", "officer2", "other_officer", "head", "other_head", "leader", "outsider_leader"
)
# media.access: own records, the section's, the bureau's, and those linked to a visible case.
ITEM1_VIEW = CASE1_VIEW
ITEM1_CLASSIFY = who("officer", "head", "leader")  # media.access.can_classify
ITEM2_VIEW = CASE2_VIEW  # the officer again through the approved request
UPLOADERS = CASE_OPENERS | {"archivist"}  # media.access.can_upload
# access.access: the requester, and the leaders of the requester's bureau.
OFFICERS_REQUESTS = who("officer", "leader")
ARCHIVISTS_REQUESTS = who("archivist", "leader")
# documents.access: writers of case1 draft, issue and serve; the case's viewers read.
DOC_WRITERS = CASE1_EDIT
DOC_READ_ONLY = CASE1_VIEW - CASE1_EDIT  # legal (outside the review stage), inspector, archivist
TEMPLATE_KEEPERS = who("leader", "admin", "outsider_leader")  # each for their own bureau
# audit.access: who reads the entry of the officer receiving item1.
AUDIT_SEARCHERS = WITH_A_ROLE
# ... and the audit administrator, who reads everyone's entries (三员).
ENTRY1_READERS = who("officer", "head", "leader", "inspector", "admin", "audit_admin")
# security.access: the security administrator changes, the audit administrator reads.
SECURITY_MANAGERS = who("security_admin")
SECURITY_READERS = who("security_admin", "audit_admin")
# retention.access: the due list and sweeps; holds (on what each sees); who places holds.
SWEEP_READERS = who("archivist", "leader", "inspector")
SWEEP_APPROVERS = who("archivist", "leader")
# retention.access: case-file terms, the administrator's to change.
TERM_READERS = who("admin", "archivist", "leader", "inspector", "outsider_leader")
HOLD1_READERS = who("head", "leader", "inspector", "archivist")
HOLD_PLACERS = who("head", "leader", "inspector")
# supervision.access: the bureau's inspection team, and the leader in charge reading.
INSPECTORS = who("inspector")
PLAN_READERS = who("inspector", "leader")
SUPERVISION_READERS = PLAN_READERS | {"outsider_leader"}  # their own bureau's pages
# An order to the officer: the officer, the head of their section, the team, the leader.
ORDER_ANSWERERS = who("officer", "head")
ORDER_VIEW = ORDER_ANSWERERS | PLAN_READERS


@dataclass
class World:
    bureau: Bureau
    cause: Cause
    rule: TimeLimitRule
    case1: Case
    case2: Case
    party1: Party
    item1: MediaItem
    item2: MediaItem
    pending: AccessRequest
    approved: AccessRequest
    export: AccessRequest
    copy: Copy
    entry1: AuditEntry
    docs: DocumentWorld  # written records of case1 (documents/tests/world.py)
    # retention: a hold on item1 in force and one whose release awaits the leader; a sweep
    # listed (item3) and one done with its certificate (item4); item5 fallen due, unlisted.
    hold1: Hold
    hold2: Hold
    sweep1: Sweep
    sweep2: Sweep
    case_request: AccessRequest  # the archivist's approved export of the whole of case1
    case_export: CaseExport  # a finished export of case1 with its disc image
    change1: CaseChange
    supervision: supervision_world.SupervisionWorld
    devices: DevicesWorld | None = None  # the devices app's objects (devices/tests)

    def user(self, persona: str) -> User:
        return getattr(self.bureau, persona)

    @property
    def unit(self) -> OrgUnit:
        return self.bureau.section1

    def fresh_upload(self) -> Upload:
        """An unfinished tus upload of the officer's (ten bytes announced, none sent)."""
        from fullrecord.media import tus

        return tus.create_upload(self.bureau.officer, length=10)


def _derivatives(item: MediaItem) -> None:
    for kind, ext, ctype in (
        ("thumbnail", "jpg", "image/jpeg"),
        ("poster", "jpg", "image/jpeg"),
        ("proxy", "mp4", "video/mp4"),
    ):
        absolute, relative = derived.path_for(item, kind, ext)
        absolute.write_bytes(f"{kind} of {item.sha256}".encode())
        Derivative.objects.create(
            item=item,
            kind=kind,
            path=relative,
            content_type=ctype,
            size=absolute.stat().st_size,
        )


def _ready_copy(request: AccessRequest, item: MediaItem, maker: User) -> Copy:
    """A finished watermarked copy, as ``access.copies.make_copy`` leaves it."""
    data = f"watermarked copy of {item.sha256} under {request.number}".encode()
    name = f"{request.number}-matrix-{item.pk}.jpg"
    (copies_dir() / name).write_bytes(data)
    return Copy.objects.create(
        request=request,
        item=item,
        made_by=maker,
        kind="watermarked",
        state="ready",
        path=name,
        content_type="image/jpeg",
        filename=f"copy-{request.number}.jpg",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        watermark=f"{maker.username} {request.number}",
    )


def build_world() -> World:
    b = build_bureau()
    cause = Cause.objects.filter(active=True).order_by("pk").first()
    rule = TimeLimitRule.objects.order_by("pk").first()
    assert cause is not None and rule is not None, "the seeded catalogues are missing"
    case1 = case_services.create_case(
        actor=b.leader,
        cause=cause,
        source="patrol",
        org_unit=b.section1,
        address="清河县城关镇一号",
        officers=[b.officer, b.officer2],
        parties=[
            {
                "kind": "person",
                "name": "张三",
                "id_type": "resident_id",
                "id_number": resident_id(1),
            }
        ],
    )
    case2 = case_services.create_case(
        actor=b.leader,
        cause=cause,
        source="patrol",
        org_unit=b.section2,
        address="清河县城关镇二号",
        officers=[b.other_officer],
    )
    stamp = timezone.now().isoformat()
    item1 = ingest_bytes(b.officer, f"item one {stamp}".encode(), "matrix-item-one.jpg").item
    item2 = ingest_bytes(b.other_officer, f"item two {stamp}".encode(), "matrix-item-two.jpg").item
    media_services.link_to_case(item1, case1, stage=case1.stage, actor=b.officer)
    _derivatives(item1)
    pending = access_services.file_request(
        requester=b.officer, reason="核对现场照片", purpose="view", items=[item2]
    )
    approved = access_services.decide(
        access_services.file_request(
            requester=b.officer, reason="诉讼举证", purpose="copy", case=case2, items=[item2]
        ),
        actor=b.leader,
        approve=True,
    )
    export = access_services.decide(
        access_services.file_request(
            requester=b.archivist, reason="移交法院", purpose="export", items=[item1]
        ),
        actor=b.leader,
        approve=True,
    )
    copy = _ready_copy(approved, item2, b.officer)
    entry1 = AuditEntry.objects.get(action="media.ingest", object_id=str(item1.pk))
    docs = build_documents(b, case1)
    # The matrix moves case1 out of 发现, whose clue register is still a draft: the leader
    # explains it (缺失说明), as a bureau would, so the move is decided by who asks.
    for cell in completeness.grid(case1).row(case1.stage).cells:
        if cell.missing:
            completeness.record_exception(
                case1,
                actor=b.leader,
                stage=cell.entry.stage,
                kind=cell.entry.kind,
                record=cell.entry.key,
                reason="登记表尚在起草",
            )
    hold1, hold2, sweep1, sweep2 = _retention(b, item1, stamp)
    case_request = access_services.decide(
        access_services.file_request(
            requester=b.archivist, reason="移交法院", purpose="export", case=case1
        ),
        actor=b.leader,
        approve=True,
    )
    iso = Path(settings.FULLRECORD_EXPORTS_DIR) / f"matrix-{stamp[:19].replace(':', '')}.iso"
    iso.parent.mkdir(parents=True, exist_ok=True)
    iso.write_bytes(b"disc image of case1")
    case_export = CaseExport.objects.create(
        case=case1,
        request=case_request,
        made_by=b.archivist,
        state=CaseExport.DONE,
        iso_path=str(iso),
        iso_size=iso.stat().st_size,
        iso_sha256=hashlib.sha256(iso.read_bytes()).hexdigest(),
    )
    # As cases.changes leaves a change the law makes wait (case1 is not filed yet, so the
    # service would apply it at once).
    change1 = CaseChange.objects.create(
        case=case1,
        changes={"summary": {"before": "", "after": "审批后的摘要", "value": "审批后的摘要"}},
        reason="矩阵",
        needs_approval=True,
        requested_by=b.officer,
    )
    supervision = supervision_world.build(b, case1, case2, item1)
    devices = build_devices(b, item1)
    sign_tree_head()
    return World(
        bureau=b,
        cause=cause,
        rule=rule,
        case1=case1,
        case2=case2,
        party1=case1.parties.get(),
        item1=item1,
        item2=item2,
        pending=pending,
        approved=approved,
        export=export,
        copy=copy,
        entry1=entry1,
        docs=docs,
        hold1=hold1,
        hold2=hold2,
        sweep1=sweep1,
        sweep2=sweep2,
        case_request=case_request,
        case_export=case_export,
        change1=change1,
        supervision=supervision,
        devices=devices,
    )


def _retention(b: Bureau, item1: MediaItem, stamp: str) -> tuple[Hold, Hold, Sweep, Sweep]:
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=260), tick=False):
        ingest_bytes(b.officer, f"item four {stamp}".encode(), "matrix-item-four.jpg")
    with time_machine.travel(now - timedelta(days=40), tick=False):
        sweep2 = retention_services.list_due(actor=b.archivist)
    retention_services.approve(sweep2, actor=b.archivist)
    sweep2 = retention_services.approve(sweep2, actor=b.leader)  # deleted: certificate
    with time_machine.travel(now - timedelta(days=200), tick=False):
        ingest_bytes(b.officer, f"item three {stamp}".encode(), "matrix-item-three.jpg")
    sweep1 = retention_services.list_due(actor=b.archivist)
    with time_machine.travel(now - timedelta(days=200), tick=False):
        ingest_bytes(b.officer, f"item five {stamp}".encode(), "matrix-item-five.jpg")
    hold1 = retention_services.place_hold(actor=b.head, reason="objection", item=item1)
    hold2 = retention_services.place_hold(actor=b.inspector, reason="emergency", item=item1)
    retention_services.ask_release(hold2, actor=b.inspector, note="事件已平息")
    return hold1, hold2, sweep1, sweep2
