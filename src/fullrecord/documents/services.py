"""Every change to a written record goes through here, with its audit entry, in one transaction.

Files (an issued PDF, a scan, a signed 送达回证) enter the evidence store through
``media.services.ingest_spooled``: the bytes are written to the store first, outside
any transaction, then one transaction records the item and, through its ``within``
hook, the document row and this app's audit entry. Issuing takes the 文号 and freezes
the content in its own short transaction first; the PDF is then made from the frozen
content (the same bytes every time), so a crash between the two leaves an issued
document whose PDF is made and stored on first request (:func:`ensure_pdf`), never a
gap in the numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fullrecord.accounts.access import can_administer
from fullrecord.accounts.models import User
from fullrecord.audit.services import record
from fullrecord.cases import access as case_access
from fullrecord.cases import completeness, deadlines
from fullrecord.cases.models import Case
from fullrecord.media import services as media_services
from fullrecord.media.spool import spool_chunks
from fullrecord.notifications.services import notify

from . import access, render
from .choices import PARTY_PAPER, PRESENT, Field, ServiceMethod, Source, Status, StepStatus
from .content import clean, filled_from_case, problems
from .models import (
    ApprovalStep,
    BureauTemplate,
    Document,
    DocumentType,
    NumberCounter,
    PaperItem,
    PaperNotApplicable,
    Service,
)

MAX_SCAN_BYTES = 200 * 1024 * 1024


class DocumentError(ValidationError):
    """A refused change; ``messages`` say what is missing, in the user's language."""


def _refresh(case: Case) -> None:
    completeness.refresh(case)


def _label(document: Document) -> str:
    return f"{document.doc_type.name} {document.number}".strip()


# ---------------------------------------------------------------- drafting


@transaction.atomic
def create_draft(case: Case, doc_type: DocumentType, *, actor: User) -> Document:
    """A new draft of ``doc_type``, filled from what the case knows."""
    if not access.can_draft(actor, case, doc_type):
        raise DocumentError(_("You may not draft documents on this case."))
    if doc_type.source != Source.DRAFTED:
        raise DocumentError(
            _("A %(type)s is not drafted here: upload the scan.") % {"type": doc_type.name}
        )
    document = Document.objects.create(
        case=case,
        doc_type=doc_type,
        stage=doc_type.stage,
        content=filled_from_case(case, doc_type),
        created_by=actor,
    )
    record(
        "document.create",
        actor=actor,
        obj=document,
        case_id=case.pk,
        summary=_("Drafted %(type)s") % {"type": doc_type.name},
        data={"type": doc_type.code},
    )
    _refresh(case)
    return document


def _locked(document: Document) -> Document:
    return (
        Document.objects.select_for_update()
        .select_related("case", "doc_type", "case__org_unit", "case__cause")
        .get(pk=document.pk)
    )


def _strangers(case: Case, content: dict) -> list[str]:
    """A record names only the case's own active officers (第十条: who was there)."""
    named = content.get(Field.OFFICERS) or []
    if not named:
        return []
    assigned = set(
        case.assignments.filter(officer__is_active=True).values_list("officer_id", flat=True)
    )
    strangers = [pk for pk in named if pk not in assigned]
    if not strangers:
        return []
    names = get_user_model().objects.filter(pk__in=strangers).order_by("pk")
    return [
        _("Only officers assigned to this case may be named; %(names)s is not.")
        % {"names": "、".join(str(u) for u in names) or "、".join(map(str, strangers))}
    ]


@transaction.atomic
def update_content(document: Document, *, actor: User, content: dict) -> Document:
    """Save the draft's parts; refused with every problem at once, nothing saved."""
    document = _locked(document)
    if not access.can_draft(actor, document.case, document.doc_type):
        raise DocumentError(_("You may not edit this document."))
    if document.status != Status.DRAFT:
        raise DocumentError(
            _(
                "This document is %(status)s and can no longer be changed; "
                "make a corrected version instead."
            )
            % {"status": document.get_status_display()}
        )
    cleaned = clean(document.doc_type, content)
    found = problems(document.doc_type, cleaned) + _strangers(document.case, cleaned)
    if found:
        raise DocumentError(found)
    changed = sorted(k for k in cleaned if cleaned[k] != document.content.get(k))
    document.content = cleaned
    document.updated_at = timezone.now()
    document.save(update_fields=["content", "updated_at"])
    record(
        "document.edit",
        actor=actor,
        obj=document,
        case_id=document.case_id,
        summary=_("Edited %(type)s") % {"type": document.doc_type.name},
        data={"parts": changed},
    )
    _refresh(document.case)
    return document


@transaction.atomic
def correct(document: Document, *, actor: User, reason: str) -> Document:
    """A new version of an issued document; the issued one stays as it was, readable."""
    document = _locked(document)
    if not access.can_draft(actor, document.case, document.doc_type):
        raise DocumentError(_("You may not correct this document."))
    if document.status != Status.ISSUED:
        raise DocumentError(_("Only an issued document is corrected by a new version."))
    if document.approval_of_id:
        raise DocumentError(
            _("An approval sheet records the chain as it was and is not corrected.")
        )
    if not (reason or "").strip():
        raise DocumentError(_("Say why the document is corrected."))
    if Document.objects.filter(previous=document).exists():
        raise DocumentError(_("This version has already been corrected."))
    new = Document.objects.create(
        case=document.case,
        doc_type=document.doc_type,
        stage=document.stage,
        content=dict(document.content),
        previous=document,
        version=document.version + 1,
        correction_reason=reason.strip(),
        created_by=actor,
    )
    record(
        "document.correct",
        actor=actor,
        obj=new,
        case_id=document.case_id,
        summary=_("Corrected %(doc)s: version %(version)s")
        % {"doc": _label(document), "version": new.version},
        data={"previous": document.pk, "reason": new.correction_reason},
    )
    _refresh(document.case)
    return new


# ---------------------------------------------------------------- approval chains


def _holders(role: str, case: Case, *, exclude: User | None = None) -> list[User]:
    users = get_user_model().objects.filter(role_grants__role=role, is_active=True).distinct()
    return [
        u
        for u in users
        if (exclude is None or u.pk != exclude.pk) and role in case_access.acting_roles(u, case)
    ]


def current_step(document: Document) -> ApprovalStep | None:
    return document.steps.filter(status=StepStatus.PENDING).order_by("-round", "position").first()


@transaction.atomic
def submit(document: Document, *, actor: User) -> Document:
    """Send a draft up its type's approval chain; the first approver is told."""
    document = _locked(document)
    roles = list(document.doc_type.approval_roles or [])
    if not access.can_draft(actor, document.case, document.doc_type):
        raise DocumentError(_("You may not submit this document."))
    if document.status != Status.DRAFT:
        raise DocumentError(_("Only a draft is submitted for approval."))
    if not roles:
        raise DocumentError(
            _("A %(type)s needs no approval: issue it.") % {"type": document.doc_type.name}
        )
    found = problems(document.doc_type, document.content)
    if found:
        raise DocumentError(found)
    round_ = (document.steps.aggregate(m=Max("round"))["m"] or 0) + 1
    ApprovalStep.objects.bulk_create(
        ApprovalStep(document=document, round=round_, position=i + 1, role=role)
        for i, role in enumerate(roles)
    )
    document.status = Status.PENDING
    document.save(update_fields=["status"])
    record(
        "document.submit",
        actor=actor,
        obj=document,
        case_id=document.case_id,
        summary=_("Submitted %(doc)s for approval") % {"doc": _label(document)},
        data={"round": round_, "chain": roles},
    )
    _tell_next(document, roles[0])
    _refresh(document.case)
    return document


def _tell_next(document: Document, role: str) -> None:
    notify(
        _holders(role, document.case, exclude=document.created_by),
        _("%(doc)s of case %(case)s waits for your approval.")
        % {"doc": document.doc_type.name, "case": document.case.number},
        link=document.get_absolute_url(),
        key=f"document-approve-{document.pk}-{role}",
    )


def decide(
    document: Document,
    *,
    actor: User,
    approve: bool,
    opinion: str = "",
    file_sheet: bool = True,
) -> ApprovalStep:
    """The current step approves (the next one is told) or rejects (back to a draft).

    The step that completes the chain files its 内部程序审批表 (:func:`file_approval_sheet`)
    once the decision is committed; ``file_sheet=False`` leaves that to the caller's
    background task (``tasks.file_approval_sheet``), as the demo does for speed.
    """
    step = _decide(document, actor=actor, approve=approve, opinion=opinion)
    if file_sheet and step.document.status == Status.APPROVED:
        file_approval_sheet(step.document, actor=actor)
    return step


@transaction.atomic
def _decide(document: Document, *, actor: User, approve: bool, opinion: str) -> ApprovalStep:
    document = _locked(document)
    if document.status != Status.PENDING:
        raise DocumentError(_("This document is not awaiting approval."))
    step = current_step(document)
    if step is None or not access.can_decide_step(actor, document, step.role):
        raise DocumentError(_("This step of the approval is not yours to decide."))
    opinion = (opinion or "").strip()
    if not approve and not opinion:
        raise DocumentError(_("Give the reason for rejecting it in the opinion."))
    step.status = StepStatus.APPROVED if approve else StepStatus.REJECTED
    step.decided_by = actor
    step.decided_at = timezone.now()
    step.opinion = opinion or _("Agreed.")
    step.save()
    following = document.steps.filter(round=step.round, position__gt=step.position)
    if not approve:
        following.update(status=StepStatus.CANCELLED)
        document.status = Status.DRAFT
    elif not following.exists():
        document.status = Status.APPROVED
    document.save(update_fields=["status"])
    record(
        "document.approve" if approve else "document.reject",
        actor=actor,
        obj=document,
        case_id=document.case_id,
        summary=(_("Approved %(doc)s") if approve else _("Rejected %(doc)s"))
        % {"doc": _label(document)},
        data={
            "round": step.round,
            "position": step.position,
            "role": step.role,
            "opinion": opinion,
        },
    )
    if approve and document.status == Status.PENDING:
        _tell_next(document, following.order_by("position").first().role)
    else:
        notify(
            [document.created_by],
            (
                _("%(doc)s of case %(case)s was approved.")
                if approve
                else _("%(doc)s of case %(case)s was rejected: %(opinion)s")
            )
            % {"doc": document.doc_type.name, "case": document.case.number, "opinion": opinion},
            link=document.get_absolute_url(),
        )
    _refresh(document.case)
    return step


# ---------------------------------------------------------------- issuing


def _bureau_word(case: Case) -> str:
    """The bureau's 机关代字 that opens its 文号 (清 for 清河县国土资源局): set per bureau and
    unique, so two bureaus never issue one number."""
    return case.org_unit.bureau().issuing_abbreviation


def _next_number(document: Document, year: int) -> tuple[int, str]:
    bureau = document.case.org_unit.bureau()
    counter, _created = NumberCounter.objects.get_or_create(
        org_unit=bureau, year=year, doc_type=document.doc_type
    )
    counter = NumberCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    word = document.doc_type.number_word or document.doc_type.name[:1]
    return counter.last, f"{_bureau_word(document.case)}国土资{word}〔{year}〕{counter.last}号"


def issue(document: Document, *, actor: User, store_pdf: bool = True) -> Document:
    """Give the document its 文号, freeze it and store its PDF as evidence.

    ``store_pdf=False`` leaves the PDF to the caller's background task
    (``tasks.store_pdf``) or to the first request for it (:func:`ensure_pdf`): the
    demo issues a hundred documents and a PDF with an embedded CJK font takes a second.
    """
    if not access.can_issue(actor, document):
        raise DocumentError(_("You may not issue documents on this case."))
    with transaction.atomic():
        document = _locked(document)
        doc_type = document.doc_type
        if document.status in PRESENT:
            raise DocumentError(_("This document has already been issued."))
        if doc_type.source != Source.DRAFTED:
            raise DocumentError(_("Only a drafted document is issued."))
        if doc_type.approval_roles and document.status != Status.APPROVED:
            raise DocumentError(
                _("A %(type)s is issued only once its approval chain has approved it.")
                % {"type": doc_type.name}
            )
        found = problems(doc_type, document.content)
        if found:
            raise DocumentError(found)
        now = timezone.now()
        today = timezone.localdate(now)
        if doc_type.numbered:
            document.sequence, document.number = _next_number(document, today.year)
            document.year = today.year
        document.status = Status.ISSUED
        document.issued_at = now
        document.issued_by = actor
        document.frozen = {}
        document.frozen = render.printable(document)
        document.save()
        record(
            "document.issue",
            actor=actor,
            obj=document,
            case_id=document.case_id,
            summary=_("Issued %(doc)s") % {"doc": _label(document)},
            data={"number": document.number, "type": doc_type.code, "version": document.version},
        )
        _refresh(document.case)
    return ensure_pdf(document, actor=actor) if store_pdf else document


def ensure_pdf(document: Document, *, actor: User) -> Document:
    """Make and store the issued PDF if it is not stored yet (outside any transaction)."""
    if document.status != Status.ISSUED or document.file_item_id:
        return document
    data = render.pdf_bytes(document.frozen, at=document.issued_at)
    spooled = spool_chunks([data])

    def attach(item, created: bool) -> None:
        updated = Document.objects.filter(pk=document.pk, file_item=None).update(
            file_item=item, sha256=item.sha256
        )
        if updated:
            record(
                "document.store",
                actor=actor,
                obj=document,
                case_id=document.case_id,
                summary=_("Stored the issued PDF of %(doc)s") % {"doc": _label(document)},
                data={"sha256": item.sha256, "size": item.size, "media_item": item.pk},
            )

    media_services.ingest_spooled(
        spooled,
        actor=actor,
        original_name=f"{document.number or document.doc_type.name}.pdf",
        source="document",
        hints=media_services.Hints(task_reference=f"文书 {document.pk}"),
        within=attach,
    )
    document.refresh_from_db()
    return document


APPROVAL_SHEET = "internal_approval"


def file_approval_sheet(document: Document, *, actor: User) -> Document | None:
    """File the 内部程序审批表 of a document its chain has approved: every round's steps
    with role, signer, time and opinion, frozen as a PDF in the evidence store and kept
    in the case file as a written record of its own (outside any transaction; once)."""
    document = Document.objects.select_related("case", "doc_type").get(pk=document.pk)
    if document.status not in (Status.APPROVED, Status.ISSUED) or not document.steps.exists():
        return None
    existing = Document.objects.filter(approval_of=document).first()
    if existing is not None:
        return existing
    sheet_type = DocumentType.objects.get(code=APPROVAL_SHEET)
    with translation.override(settings.LANGUAGE_CODE):  # the case file is in Chinese
        data = render.approval_sheet_pdf(document)
        label = _label(document)
    steps = list(document.steps.filter(status=StepStatus.APPROVED).select_related("decided_by"))
    filed: list[Document] = []

    def within(item, created: bool) -> None:
        Document.objects.select_for_update().filter(pk=document.pk).get()
        if Document.objects.filter(approval_of=document).exists():
            return  # filed meanwhile by another request or the worker
        sheet = Document(
            case=document.case,
            doc_type=sheet_type,
            stage=document.stage,
            status=Status.ISSUED,
            approval_of=document,
            content={
                Field.BODY.value: label,
                Field.OPINION.value: "\n".join(
                    f"{s.decided_by}：{s.opinion}" for s in steps if s.decided_by
                ),
            },
            file_item=item,
            sha256=item.sha256,
            created_by=actor,
            issued_by=actor,
            issued_at=timezone.now(),
        )
        if sheet_type.numbered:
            sheet.year = timezone.localdate(sheet.issued_at).year
            sheet.sequence, sheet.number = _next_number(sheet, sheet.year)
        sheet.save()
        record(
            "document.approval_sheet",
            actor=actor,
            obj=sheet,
            case_id=document.case_id,
            summary=_("Filed the approval sheet of %(doc)s") % {"doc": label},
            data={
                "approves": document.pk,
                "number": sheet.number,
                "steps": len(steps),
                "sha256": item.sha256,
                "media_item": item.pk,
            },
        )
        _refresh(document.case)
        filed.append(sheet)

    media_services.ingest_spooled(
        spool_chunks([data]),
        actor=actor,
        original_name=f"内部程序审批表-{label}.pdf",
        source="document",
        hints=media_services.Hints(task_reference=f"文书 {document.pk}"),
        within=within,
    )
    return filed[0] if filed else Document.objects.filter(approval_of=document).first()


def approval_sheet_of(document: Document) -> Document | None:
    """The filed 内部程序审批表 of an approved document, filed now if an earlier release
    approved it without one (by whoever signed the chain's last step)."""
    sheet = Document.objects.filter(approval_of=document).first()
    if sheet is not None or document.status not in (Status.APPROVED, Status.ISSUED):
        return sheet
    last = (
        document.steps.filter(status=StepStatus.APPROVED)
        .exclude(decided_by=None)
        .select_related("decided_by")
        .order_by("-round", "-position")
        .first()
    )
    return file_approval_sheet(document, actor=last.decided_by) if last else None


# ---------------------------------------------------------------- scans


MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"GIF8", "gif"),
    (b"BM", "bmp"),
)


def scan_kind(head: bytes) -> str:
    """What the scan's first bytes say it is; "" when neither PDF nor a picture."""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return ""


def _spool_scan(chunks: Iterable[bytes]):
    try:
        spooled = spool_chunks(chunks, max_size=MAX_SCAN_BYTES)
    except ValueError:
        raise DocumentError(_("The scan is larger than 200 MB.")) from None
    if spooled.size == 0:
        spooled.path.unlink(missing_ok=True)
        raise DocumentError(_("The file is empty."))
    with open(spooled.path, "rb") as handle:
        kind = scan_kind(handle.read(16))
    return spooled, kind


def _scan_flag(kind: str) -> str:
    return "" if kind else _("Neither a PDF nor an image: check the file.")


def upload_scan(
    case: Case, doc_type: DocumentType, *, actor: User, name: str, chunks: Iterable[bytes]
) -> Document:
    """A scan filed in the case (鉴定意见, 专家论证报告, a party's papers): stored and
    hashed as evidence; a file that is neither PDF nor image is kept and flagged."""
    if doc_type.source == Source.DRAFTED:
        raise DocumentError(
            _("A %(type)s is drafted here, not uploaded.") % {"type": doc_type.name}
        )
    if doc_type.code == PARTY_PAPER:
        raise DocumentError(_("File the party's papers against the item of their checklist."))
    if not access.can_draft(actor, case, doc_type) or not (
        case_access.acting_roles(actor, case) & access.ISSUERS
    ):
        raise DocumentError(_("You may not add documents to this case."))
    spooled, kind = _spool_scan(chunks)
    made: list[Document] = []

    def create(item, created: bool) -> None:
        made.append(_file_scan(case, doc_type, item, actor=actor, name=name, kind=kind))

    media_services.ingest_spooled(
        spooled,
        actor=actor,
        original_name=name,
        source="document",
        hints=media_services.Hints(task_reference=f"文书 {case.number}"),
        within=create,
    )
    return made[0]


def _file_scan(
    case: Case, doc_type: DocumentType, item, *, actor: User, name: str, kind: str
) -> Document:
    document = Document.objects.create(
        case=case,
        doc_type=doc_type,
        stage=doc_type.stage,
        status=Status.RECEIVED,
        content={"name": name, "kind": kind},
        file_item=item,
        sha256=item.sha256,
        flagged=_scan_flag(kind),
        created_by=actor,
        issued_by=actor,
        issued_at=timezone.now(),
    )
    record(
        "document.upload",
        actor=actor,
        obj=document,
        case_id=case.pk,
        summary=_("Filed the scan of %(type)s: %(name)s") % {"type": doc_type.name, "name": name},
        data={
            "sha256": item.sha256,
            "size": item.size,
            "kind": kind or "unknown",
            "media_item": item.pk,
        },
    )
    _refresh(case)
    return document


# ---------------------------------------------------------------- service (送达)

SERVICE_PROOF = "service_proof"


def record_service(
    document: Document,
    *,
    actor: User,
    method: str,
    served_on: date,
    recipient: str,
    witnesses: str = "",
    consent: str = "",
    address: str = "",
    proof_name: str = "",
    proof_chunks: Iterable[bytes] | None = None,
) -> Service:
    """Record how an issued document reached the party, with the signed 送达回证 scan."""
    errors = []
    if not access.can_serve(actor, document):
        raise DocumentError(_("You may not record service on this case."))
    if document.status != Status.ISSUED:
        errors.append(_("Only an issued document is served."))
    if method not in ServiceMethod.values:
        errors.append(_("Choose how the document was served."))
    if not (recipient or "").strip():
        errors.append(_("Name who received the document."))
    if served_on > timezone.localdate():
        errors.append(_("The date of service cannot be in the future."))
    if document.issued_at and served_on < timezone.localdate(document.issued_at):
        errors.append(_("The date of service cannot be before the document was issued."))
    if method == ServiceMethod.ELECTRONIC and not (consent or "").strip():
        errors.append(
            _("Electronic service needs the party's recorded consent (行政处罚法第六十一条).")
        )
    if method == ServiceMethod.LEFT and not (witnesses or "").strip():
        errors.append(_("Service left at the residence needs the witnesses' names."))
    if method != ServiceMethod.PUBLIC and proof_chunks is None:
        errors.append(_("Attach the signed proof of service (送达回证)."))
    if errors:
        raise DocumentError(errors)
    proof_type = DocumentType.objects.get(code=SERVICE_PROOF)
    made: list[Service] = []

    def create(item, created: bool) -> None:
        proof = None
        if item is not None:
            proof = _file_scan(
                document.case, proof_type, item, actor=actor, name=proof_name, kind=kind
            )
        service = Service.objects.create(
            document=document,
            method=method,
            served_on=served_on,
            recipient=recipient.strip(),
            witnesses=witnesses.strip(),
            consent=consent.strip(),
            address=address.strip(),
            proof=proof,
            recorded_by=actor,
        )
        started = _count_from_service(document)
        record(
            "document.serve",
            actor=actor,
            obj=document,
            case_id=document.case_id,
            summary=_("Served %(doc)s on %(recipient)s (%(method)s, %(day)s)")
            % {
                "doc": _label(document),
                "recipient": service.recipient,
                "method": service.get_method_display(),
                "day": served_on.isoformat(),
            },
            data={
                "method": method,
                "served_on": served_on.isoformat(),
                "recipient": service.recipient,
                "witnesses": service.witnesses,
                "consent": bool(service.consent),
                "proof": proof.pk if proof else None,
                "deadlines": [
                    {
                        "rule": d.rule.code,
                        "from": d.started_on.isoformat(),
                        "due": d.due_on.isoformat(),
                    }
                    for d in started
                ],
            },
        )
        made.append(service)

    if proof_chunks is None:
        with transaction.atomic():
            create(None, False)
        return made[0]
    spooled, kind = _spool_scan(proof_chunks)
    media_services.ingest_spooled(
        spooled,
        actor=actor,
        original_name=proof_name or "送达回证",
        source="document",
        hints=media_services.Hints(task_reference=f"文书 {document.pk}"),
        within=create,
    )
    return made[0]


def _count_from_service(document: Document) -> list:
    """The case's limits that run from this document's service count from its first
    recorded service (the day the party received it), whatever day the case moved."""
    first = document.services.order_by("served_on", "pk").first()
    counted_from = _("%(doc)s served on %(day)s (%(method)s)") % {
        "doc": _label(document),
        "day": first.served_on.isoformat(),
        "method": first.get_method_display(),
    }
    return deadlines.start_on_service(
        document.case, document.doc_type.code, first.served_on, counted_from
    )


# ---------------------------------------------------------------- bureau templates


@transaction.atomic
def upload_template(
    doc_type: DocumentType, *, actor: User, name: str, data: bytes
) -> BureauTemplate:
    """The bureau's own Word template for a type; one naming an unknown placeholder is refused."""
    if not access.can_keep_templates(actor):
        raise DocumentError(_("Only the leader in charge or the administrator sets templates."))
    try:
        render.check_template(data)
    except render.TemplateRefused as exc:
        raise DocumentError(str(exc)) from None
    import hashlib

    bureau = actor.org_unit.bureau()
    BureauTemplate.objects.filter(org_unit=bureau, doc_type=doc_type, active=True).update(
        active=False
    )
    template = BureauTemplate.objects.create(
        org_unit=bureau,
        doc_type=doc_type,
        name=name[:200],
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    record(
        "document.template",
        actor=actor,
        obj=template,
        summary=_("Set the Word template of %(type)s: %(name)s")
        % {"type": doc_type.name, "name": template.name},
        data={"sha256": template.sha256, "type": doc_type.code, "bureau": bureau.name},
    )
    return template


def template_for(document: Document) -> bytes | None:
    bureau = document.case.org_unit.bureau()
    found = (
        BureauTemplate.objects.filter(org_unit=bureau, doc_type=document.doc_type, active=True)
        .values_list("content", flat=True)
        .first()
    )
    return bytes(found) if found is not None else None


# ---------------------------------------------------------------- reading


def record_read(document: Document, *, actor: User, what: str) -> None:
    """第十八条第三项: every copy of a record leaving the server is attributed."""
    with transaction.atomic():
        record(
            "document.read",
            actor=actor,
            obj=document,
            case_id=document.case_id,
            summary=_("Downloaded %(doc)s as %(what)s") % {"doc": _label(document), "what": what},
            data={"format": what, "sha256": document.sha256},
        )


def case_file_records(case: Case) -> Iterable[tuple[str, str, str, bytes]]:
    """The case's written records as stored, for the case file on disc: ``(title, stage,
    file name, bytes)`` of every issued document (each version) and filed scan, in the
    catalogue's order. The bytes are checked against the SHA-256 taken at issue."""
    import hashlib

    from fullrecord.media.store import get_store

    documents = (
        case.documents.filter(status__in=PRESENT, file_item__isnull=False)
        .select_related("doc_type", "file_item")
        .order_by("doc_type__order", "version", "pk")
    )
    for document in documents:
        with get_store().open(document.file_item.sha256) as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != document.file_item.sha256:
            raise DocumentError(
                _("The stored file of %(document)s does not match its hash.")
                % {"document": document}
            )
        title = f"{document.doc_type.name} {document.number}".strip()
        yield title, document.doc_type.stage, document.file_item.original_name, data


# ---------------------------------------------------------------- the party's papers (10(3))


def _paper_target(case: Case, party, item, *, actor: User) -> tuple:
    """The party and item as they are on the case's checklist, or a refusal."""
    from fullrecord.cases.models import Party

    from . import papers

    if not access.can_file_papers(actor, case):
        raise DocumentError(_("You may not file the party's papers on this case."))
    party_pk = party.pk if isinstance(party, Party) else party
    found = case.parties.filter(pk=party_pk).first() if str(party_pk).isdigit() else None
    if found is None:
        raise DocumentError(_("Choose a party of this case."))
    item_pk = item.pk if isinstance(item, PaperItem) else item
    checked = papers.item_for(case, found, item_pk)
    if checked is None:
        raise DocumentError(
            _("That item is not on the checklist of %(party)s for this case.")
            % {"party": found.name}
        )
    return found, checked


def upload_party_paper(
    case: Case, party, item, *, actor: User, name: str, chunks: Iterable[bytes]
) -> Document:
    """A party's paper filed against an item of its checklist (第十条第三项): stored and
    hashed in the evidence store like every scan; a file that is neither PDF nor image is
    kept and flagged. ``party`` and ``item`` are objects or their ids."""
    party, item = _paper_target(case, party, item, actor=actor)
    paper_type = DocumentType.objects.get(code=PARTY_PAPER)
    spooled, kind = _spool_scan(chunks)
    made: list[Document] = []

    def create(stored, created: bool) -> None:
        document = Document.objects.create(
            case=case,
            doc_type=paper_type,
            stage=item.stage,
            status=Status.RECEIVED,
            content={"name": name, "kind": kind, "party": party.name, "item": item.name},
            file_item=stored,
            sha256=stored.sha256,
            flagged=_scan_flag(kind),
            paper_item=item,
            party=party,
            created_by=actor,
            issued_by=actor,
            issued_at=timezone.now(),
        )
        record(
            "document.upload",
            actor=actor,
            obj=document,
            case_id=case.pk,
            summary=_("Filed %(party)s's paper %(item)s: %(name)s")
            % {"party": party.name, "item": item.name, "name": name},
            data={
                "sha256": stored.sha256,
                "size": stored.size,
                "kind": kind or "unknown",
                "media_item": stored.pk,
                "paper_item": item.pk,
                "party": party.pk,
            },
        )
        _refresh(case)
        made.append(document)

    media_services.ingest_spooled(
        spooled,
        actor=actor,
        original_name=name,
        source="document",
        hints=media_services.Hints(task_reference=f"文书 {case.number}"),
        within=create,
    )
    return made[0]


@transaction.atomic
def mark_not_applicable(case: Case, party, item, *, actor: User, reason: str) -> PaperNotApplicable:
    """An officer says why ``party`` need not submit ``item`` (不适用); once, audited."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    party, item = _paper_target(case, party, item, actor=actor)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise DocumentError(
            _("Say why the party need not submit it (for example: came in person, no agent).")
        )
    if PaperNotApplicable.objects.filter(party=party, item=item).exists():
        raise DocumentError(_("That item has already been marked not applicable."))
    if case.documents.filter(party=party, paper_item=item, status=Status.RECEIVED).exists():
        raise DocumentError(_("That paper is on file; it cannot be marked not applicable."))
    mark = PaperNotApplicable.objects.create(
        case=case,
        party=party,
        party_name=party.name,
        item=item,
        reason=reason,
        recorded_by=actor,
    )
    record(
        "document.paper_not_applicable",
        actor=actor,
        obj=mark,
        case_id=case.pk,
        summary=_("Marked %(item)s of %(party)s not applicable: %(reason)s")
        % {"item": item.name, "party": party.name, "reason": reason},
        data={"paper_item": item.pk, "party": party.pk, "reason": reason},
    )
    _refresh(case)
    return mark


# --- the document catalogue (文书种类) ---------------------------------------------------

# What changes in daily work; parts, source and numbering change the drafts themselves and
# stay in the fallback admin, with its validation.
DOCUMENT_TYPE_FIELDS = ("name", "required", "number_word", "two_officers", "order", "active")


@transaction.atomic
def save_document_type(doc_type: DocumentType, *, actor: User, **values) -> dict[str, dict]:
    """Change a document type, by the system administrator (三员分立). Types are retired
    (``active`` off), never deleted: issued documents keep naming theirs. Whether a stage
    is complete may change, so every case's summary is marked for recomputation."""
    if not can_administer(actor):
        raise DocumentError(_("Only the system administrator keeps the catalogues."))
    doc_type = DocumentType.objects.select_for_update().get(pk=doc_type.pk)
    changed = {}
    for name, value in values.items():
        if name not in DOCUMENT_TYPE_FIELDS:
            raise DocumentError(_("This field cannot be changed here: %(name)s") % {"name": name})
        value = value.strip() if isinstance(value, str) else value
        if getattr(doc_type, name) != value:
            changed[name] = {"from": str(getattr(doc_type, name)), "to": str(value)}
            setattr(doc_type, name, value)
    if not changed:
        return changed
    try:
        doc_type.full_clean()
    except ValidationError as exc:
        raise DocumentError(exc.messages) from None
    doc_type.save(update_fields=list(changed))
    completeness.mark_all_stale()
    record(
        "document.type_changed",
        actor=actor,
        obj=doc_type,
        summary=_("Document type %(name)s changed") % {"name": doc_type.name},
        data={"changed": changed},
    )
    return changed
