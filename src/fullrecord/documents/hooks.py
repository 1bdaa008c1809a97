"""What this app tells the apps below it, registered once at start (``DocumentsConfig.ready``):
the case timeline's document entries, the written records each move needs, the
completeness rule of every stage, approvals waiting in the to-do queue, audit labels."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fullrecord.audit.labels import ACTION_LABELS
from fullrecord.cases import completeness
from fullrecord.cases.choices import STAGE_OF_STATE, Stage
from fullrecord.cases.models import Case
from fullrecord.cases.timeline import TimelineItem
from fullrecord.cases.timeline import provider as timeline_provider
from fullrecord.cases.workflow import Context, requirement
from fullrecord.core.todo import TodoItem
from fullrecord.core.todo import provider as todo_provider

from . import papers
from .choices import PARTY_PAPER, PRESENT, Source, Status, StepStatus
from .models import ApprovalStep, Document, DocumentType, Service

ACTION_LABELS.update(
    {
        "document.create": gettext_lazy("Document drafted"),
        "document.edit": gettext_lazy("Document edited"),
        "document.submit": gettext_lazy("Document submitted for approval"),
        "document.approve": gettext_lazy("Document approved"),
        "document.reject": gettext_lazy("Document rejected"),
        "document.issue": gettext_lazy("Document issued"),
        "document.store": gettext_lazy("Issued document stored as evidence"),
        "document.correct": gettext_lazy("Corrected version started"),
        "document.upload": gettext_lazy("Scan filed"),
        "document.serve": gettext_lazy("Service recorded"),
        "document.approval_sheet": gettext_lazy("Approval sheet filed"),
        "document.read": gettext_lazy("Document downloaded"),
        "document.template": gettext_lazy("Word template set"),
        "document.paper_not_applicable": gettext_lazy("Party's paper marked not applicable"),
        "document.type_changed": gettext_lazy("Document type changed"),
    }
)


# ---------------------------------------------------------------- timeline


@timeline_provider
def documents_on_timeline(case: Case) -> list[TimelineItem]:
    items = []
    for doc in case.documents.select_related("doc_type", "created_by", "issued_by", "paper_item"):
        who = doc.issued_by or doc.created_by
        title = f"{doc.title} {doc.number}".strip()
        if doc.paper_item_id:
            title = f"{doc.content.get('party', '')}·{title}"
        if doc.version > 1:
            title += _(" (version %(v)s)") % {"v": doc.version}
        items.append(
            TimelineItem(
                at=doc.issued_at or doc.created_at,
                kind="document",
                stage=doc.stage,
                title=title,
                actor=str(who),
                detail=doc.flagged,
                link=doc.get_absolute_url(),
                extra={
                    "status_label": doc.get_status_display(),
                    "document_id": doc.pk,
                    "number": doc.number,
                    "sha256": doc.sha256,
                },
            )
        )
    for service in Service.objects.filter(document__case=case).select_related(
        "document__doc_type", "recorded_by"
    ):
        items.append(
            TimelineItem(
                at=service.recorded_at,
                kind="document",
                stage=Stage.SERVICE,
                title=_("Served: %(doc)s") % {"doc": service.document},
                actor=str(service.recorded_by),
                detail=f"{service.get_method_display()} · {service.recipient} · {service.served_on:%Y-%m-%d}",
                link=service.document.get_absolute_url(),
            )
        )
    return items


# ---------------------------------------------------------------- what moves need


def _has(case: Case, code: str, statuses) -> bool:
    return case.documents.filter(doc_type__code=code, status__in=statuses).exists()


def _name(code: str) -> str:
    return DocumentType.objects.filter(code=code).values_list("name", flat=True).first() or code


APPROVED = (Status.APPROVED, Status.ISSUED)


@requirement("file")
def filing_approved(case: Case, ctx: Context) -> str | None:
    if not _has(case, "filing_approval", APPROVED):
        return _("The %(doc)s must be approved before the case is filed.") % {
            "doc": _name("filing_approval")
        }
    return None


@requirement("decide")
def decision_reviewed_and_approved(case: Case, ctx: Context) -> str | None:
    missing = []
    if not _has(case, "legal_review", PRESENT):
        missing.append(_("the %(doc)s must be issued") % {"doc": _name("legal_review")})
    if not _has(case, "penalty_decision", APPROVED):
        missing.append(_("the %(doc)s must be approved") % {"doc": _name("penalty_decision")})
    if missing:
        return _("Before the decision: %(what)s.") % {"what": "；".join(missing)}
    return None


@requirement("serve")
def decision_served(case: Case, ctx: Context) -> str | None:
    if not Service.objects.filter(
        document__case=case, document__doc_type__code="penalty_decision"
    ).exists():
        return _("Record the service of the issued %(doc)s, with its proof of service.") % {
            "doc": _name("penalty_decision")
        }
    return None


@requirement("close")
def closing_approved(case: Case, ctx: Context) -> str | None:
    if not _has(case, "closing_approval", APPROVED):
        return _("The %(doc)s must be approved before the case is closed.") % {
            "doc": _name("closing_approval")
        }
    return None


# ---------------------------------------------------------------- completeness

STAGE_ORDER = [s for s in Stage.values if s != Stage.EXIT]


def reached_stages(case: Case) -> list[str]:
    """The stages the case has been in, in order. No stage is skipped on the main path,
    so a case at a stage has passed every one before it; an ended case, those its moves
    went through."""
    if case.stage in STAGE_ORDER:
        return STAGE_ORDER[: STAGE_ORDER.index(case.stage) + 1]
    seen = {Stage.DISCOVERY}
    seen.update(STAGE_OF_STATE[s] for s in case.transitions.values_list("to_state", flat=True))
    return [s for s in STAGE_ORDER if s in seen]


@completeness.register
def written_records(case: Case) -> list[completeness.Entry]:
    reached = reached_stages(case)
    # The party's papers are the checklist's entries (party_papers below).
    types = DocumentType.objects.filter(active=True, stage__in=reached).exclude(code=PARTY_PAPER)
    present: dict[int, Document] = {}
    for doc in case.documents.filter(status__in=PRESENT).order_by("version", "pk"):
        present[doc.doc_type_id] = doc  # the latest version counts
    # A record not there yet links to where it is drafted or its scan uploaded.
    page = reverse("documents:case", args=[case.pk])
    entries = []
    for doc_type in types:
        doc = present.get(doc_type.pk)
        entries.append(
            completeness.Entry(
                stage=doc_type.stage,
                kind="party" if doc_type.source == Source.PARTY else "written",
                label=doc_type.name,
                present=doc is not None,
                required=doc_type.required,
                detail=(doc.number or doc.get_status_display()) if doc else "",
                url=doc.get_absolute_url() if doc else page,
            )
        )
    return entries


@completeness.register
def party_papers(case: Case) -> list[completeness.Entry]:
    """第十条第三项: each party's checklist, item by item, in the item's stage."""
    page = reverse("documents:case", args=[case.pk]) + "#papers"
    entries = []
    for checklist in papers.checklists(case):
        party = checklist.party
        for line in checklist.lines:
            mark = line.not_applicable
            entries.append(
                completeness.Entry(
                    stage=line.item.stage,
                    kind="party",
                    label=f"{party.name}·{line.item.name}",
                    present=bool(line.papers),
                    required=line.item.required,
                    detail=_("%(n)s filed") % {"n": len(line.papers)} if line.papers else "",
                    url=line.papers[-1].get_absolute_url() if line.papers else page,
                    code=papers.entry_code(line, party),
                    not_applicable=_("Not applicable: %(reason)s (%(who)s)")
                    % {"reason": mark.reason, "who": mark.recorded_by}
                    if mark and not line.papers
                    else "",
                )
            )
    return entries


# ---------------------------------------------------------------- to-do


@todo_provider
def approvals_waiting(user) -> list[TodoItem]:
    from fullrecord.cases.access import acting_roles, visible_cases

    if not getattr(user, "is_authenticated", False) or not user.roles:
        return []
    steps = (
        ApprovalStep.objects.filter(
            status=StepStatus.PENDING,
            role__in=user.roles,
            document__status=Status.PENDING,
            document__case__in=visible_cases(user, include_grants=False),
        )
        .exclude(document__created_by=user)
        .select_related("document__doc_type", "document__case__org_unit")
        .order_by("document_id", "-round", "position")
    )
    items, seen = [], set()
    for step in steps:
        if step.document_id in seen:
            continue
        seen.add(step.document_id)  # only the chain's current step waits for someone
        if step.role not in acting_roles(user, step.document.case):
            continue
        items.append(
            TodoItem(
                kind="documents.approve",
                title=_("Approve %(doc)s") % {"doc": step.document.doc_type.name},
                url=step.document.get_absolute_url(),
                subject=step.document.case.number,
            )
        )
    return items
