"""The demo bureau's written records: each move of the walk finds the documents it needs.

Before a case leaves a stage, the stage's required records are drafted from the case,
taken through their approval chains and issued (scans are filed as generated PDFs);
the moves that wait for an approval (立案, 处理决定, 结案) find it approved; the decision
is served with a signed 送达回证. Cases that stop half way through a stage show its gaps.
Before a case leaves 调查取证 its parties' required papers are filed (第十条第三项),
the authorisation of an agent marked 不适用 where the party came in person; the case
still under investigation has a paper missing. Afterwards a few documents are left in
each state: a draft, one awaiting approval, a rejected one, a corrected version. PDFs are made by the worker (``tasks.store_pdf``)
or on first download.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from fullrecord.accounts.choices import Role
from fullrecord.cases.models import Case
from fullrecord.core.demo import before_move, populate

from . import papers, services
from .catalogue import SEED
from .choices import PRESENT, Source, Status
from .models import Document, DocumentType
from .tasks import file_approval_sheet, store_pdf

GATES = {
    "file": ["filing_approval"],
    "decide": ["legal_review", "penalty_decision"],
    "close": ["closing_approval"],
}
DECISION_TEXT = {
    "facts": "当事人未经批准，擅自占用集体土地建设厂房，经现场勘测，占地面积约1200平方米。",
    "evidence": "询问笔录、现场勘验(测)笔录、现场照片及执法记录仪视频",
    "penalty": "责令退还非法占用的土地，限期拆除新建的建筑物和其他设施，并处罚款人民币叁万陆仟元。",
    "body": "经调查核实，情况属实。",
    "opinion": "事实清楚，证据确凿，程序合法，同意。",
    "time": "上午九时至十时",
}


def _team(case: Case, users: dict) -> dict:
    officers = [a.officer for a in case.assignments.select_related("officer")]
    head = next(
        u
        for u in users.values()
        if u.has_role(Role.SECTION_HEAD) and u.org_unit_id == case.org_unit_id
    )
    # The head who opened the case is assigned too; the one who drafts is a plain officer,
    # so that the head may approve.
    officer = next((o for o in officers if not o.has_role(Role.SECTION_HEAD)), officers[0])
    return {
        "officer": officer,
        "section_head": head,
        "legal": users["legal"],
        "leader": users["leader"],
    }


def _pdf_scan(title: str, case: Case) -> bytes:
    from .render import pdf_bytes

    return pdf_bytes(
        {
            "bureau": case.org_unit.bureau().name,
            "title": title,
            "number": "",
            "case_number": case.number,
            "date": "",
            "sections": [{"name": "body", "label": "扫描件", "text": f"{title}（演示扫描件）"}],
            "officer_lines": [],
            "version": 1,
        }
    )


def _has(case: Case, code: str, statuses=PRESENT) -> bool:
    return case.documents.filter(doc_type__code=code, status__in=statuses).exists()


def _approve(document: Document, team: dict) -> Document:
    if document.status == Status.DRAFT:
        services.submit(document, actor=document.created_by)
    for role in document.doc_type.approval_roles:
        document.refresh_from_db()
        if document.status != Status.PENDING:
            break
        services.decide(
            document, actor=team[role], approve=True, opinion="同意。", file_sheet=False
        )
    document.refresh_from_db()
    if document.status == Status.APPROVED:  # its 内部程序审批表, typeset by the worker
        pk, signer = document.pk, team[document.doc_type.approval_roles[-1]].pk
        transaction.on_commit(lambda: file_approval_sheet.enqueue(pk, signer))
    return document


def _draft(case: Case, doc_type: DocumentType, team: dict) -> Document:
    author = team["legal"] if doc_type.stage == "review" else team["officer"]
    document = services.create_draft(case, doc_type, actor=author)
    content = {**document.content}
    for name in doc_type.fields:
        if not content.get(name) and name in DECISION_TEXT:
            content[name] = DECISION_TEXT[name]
    return services.update_content(document, actor=author, content=content)


def _issue(case: Case, code: str, team: dict) -> Document:
    doc_type = DocumentType.objects.get(code=code)
    if doc_type.source != Source.DRAFTED:
        return services.upload_scan(
            case,
            doc_type,
            actor=team["officer"],
            name=f"{doc_type.name}.pdf",
            chunks=[_pdf_scan(doc_type.name, case)],
        )
    document = (
        case.documents.filter(
            doc_type=doc_type, status__in=[Status.DRAFT, Status.PENDING, Status.APPROVED]
        )
        .order_by("-pk")
        .first()
    ) or _draft(case, doc_type, team)
    if doc_type.approval_roles:
        document = _approve(document, team)
    document = services.issue(document, actor=team["officer"], store_pdf=False)
    pk = document.pk
    transaction.on_commit(lambda: store_pdf.enqueue(pk))
    return document


CAME_IN_PERSON = "当事人本人到场办理，未委托代理人。"


def _file_papers(case: Case, team: dict, *, leave_out: int = 0) -> None:
    """File the required papers of the stage for every party, but the last ``leave_out``."""
    missing = [
        (checklist.party, line.item)
        for checklist in papers.checklists(case)
        for line in checklist.missing
        if line.item.stage == case.stage
    ]
    for party, item in missing[: len(missing) - leave_out]:
        services.upload_party_paper(
            case,
            party,
            item,
            actor=team["officer"],
            name=f"{party.name}-{item.name}.pdf",
            chunks=[_pdf_scan(f"{party.name} {item.name}", case)],
        )
    for checklist in papers.checklists(case):
        for line in checklist.lines:
            if (
                line.status == papers.OPTIONAL
                and line.item.stage == case.stage
                and line.item.note.startswith("委托代理人")
            ):
                services.mark_not_applicable(
                    case, checklist.party, line.item, actor=team["officer"], reason=CAME_IN_PERSON
                )


@before_move
def documents_for_the_move(case: Case, name: str, *, users: dict, day, actor) -> None:
    case.refresh_from_db()
    team = _team(case, users)
    _file_papers(case, team)
    for doc_type in DocumentType.objects.filter(stage=case.stage, required=True, active=True):
        if not _has(case, doc_type.code) and doc_type.code != "service_proof":
            _issue(case, doc_type.code, team)
    for code in GATES.get(name, []):
        if code == "penalty_decision":
            if not _has(case, code, (Status.APPROVED, Status.ISSUED)):
                _approve(_draft(case, DocumentType.objects.get(code=code), team), team)
        elif not _has(case, code):
            _issue(case, code, team)
    if name == "serve":
        decision = case.documents.get(doc_type__code="penalty_decision", status=Status.ISSUED)
        services.record_service(
            decision,
            actor=team["officer"],
            method="direct",
            served_on=timezone.localdate(),
            recipient=case.party_names() or "当事人",
            proof_name="送达回证.pdf",
            proof_chunks=[_pdf_scan("送达回证", case)],
        )


@populate
def a_paper_missing(users: dict, cases: list) -> None:
    """The case still under investigation has its parties' papers but one on file."""
    for case in cases:
        case.refresh_from_db()
        if case.state == "investigating":
            _file_papers(case, _team(case, users), leave_out=1)
            return


@populate
def documents_in_every_state(users: dict, cases: list) -> None:
    """A draft, one awaiting approval, a rejected one and a corrected version."""
    open_cases = [c for c in cases if c.state in ("investigating", "legal_review", "notified")]
    if not open_cases:
        return
    for case in open_cases:
        case.refresh_from_db()
    case = open_cases[0]
    team = _team(case, users)
    codes = {row[0] for row in SEED}
    if "evidence_preservation" in codes:
        _draft(case, DocumentType.objects.get(code="evidence_preservation"), team)
    if "investigation_report" in codes and not _has(case, "investigation_report"):
        services.submit(
            _draft(case, DocumentType.objects.get(code="investigation_report"), team),
            actor=team["officer"],
        )
    other = open_cases[-1]
    team = _team(other, users)
    rejected = _draft(other, DocumentType.objects.get(code="internal_approval"), team)
    services.submit(rejected, actor=team["officer"])
    services.decide(
        rejected, actor=team["section_head"], approve=False, opinion="事实部分表述不清，请补充。"
    )
    issued = other.documents.filter(status=Status.ISSUED, doc_type__code="stop_order").first()
    if issued is not None:
        services.correct(issued, actor=team["officer"], reason="当事人名称书写有误")
