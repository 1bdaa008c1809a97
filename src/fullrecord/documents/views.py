"""Written-record pages. Thin: the access helper finds the object, a service changes it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import access, files, hooks, masking, papers, services
from .choices import Source, Status
from .forms import (
    ContentForm,
    CorrectForm,
    DecisionForm,
    DraftForm,
    NotApplicableForm,
    PaperForm,
    ScanForm,
    ServiceForm,
    TemplateForm,
)
from .models import BureauTemplate, Document, DocumentType


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_documents(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_case(request.user, pk)
    form = DraftForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                document = services.create_draft(
                    case, form.cleaned_data["doc_type"], actor=request.user
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                return redirect(document)
        return redirect("documents:case", case.pk)
    drafting = [
        t
        for t in DocumentType.objects.filter(active=True)
        if access.can_draft(request.user, case, t)
    ]
    entries = hooks.written_records(case)
    checklists = papers.checklists(case)
    return render(
        request,
        "documents/case_documents.html",
        {
            "case": case,
            "documents": case.documents.select_related(
                "doc_type", "created_by", "paper_item", "party"
            ).order_by("doc_type__order", "version", "pk"),
            # 第十条第三项: each party's checklist, complete or what is missing.
            "checklists": checklists,
            "papers_complete": all(c.complete for c in checklists),
            "may_file_papers": access.can_file_papers(request.user, case),
            "entries": entries,
            "complete": all(e.present for e in entries if e.required),
            "draft_form": DraftForm()
            if any(t.source == Source.DRAFTED for t in drafting)
            else None,
            # Both forms have a 文书种类 field: the scan form's ids differ, so each label
            # names its own field.
            "scan_form": ScanForm(auto_id="scan_%s")
            if any(t.source != Source.DRAFTED for t in drafting)
            else None,
        },
    )


@login_required
@require_POST
def upload_scan(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_case(request.user, pk)
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("documents:case", case.pk)
    upload = form.cleaned_data["file"]
    try:
        document = services.upload_scan(
            case,
            form.cleaned_data["doc_type"],
            actor=request.user,
            name=upload.name,
            chunks=upload.chunks(),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("documents:case", case.pk)
    if document.flagged:
        messages.warning(request, document.flagged)
    return redirect(document)


def _refused(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


@login_required
@require_POST
def upload_paper(request: HttpRequest, pk: int) -> HttpResponse:
    """A party's paper filed against an item of its checklist (第十条第三项)."""
    case = access.get_case(request.user, pk)
    form = PaperForm(request.POST, request.FILES)
    if not form.is_valid():
        _refused(request, form)
        return redirect(reverse("documents:case", args=[case.pk]) + "#papers")
    upload = form.cleaned_data["file"]
    try:
        document = services.upload_party_paper(
            case,
            form.cleaned_data["party"],
            form.cleaned_data["item"],
            actor=request.user,
            name=upload.name,
            chunks=upload.chunks(),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Filed: %(item)s") % {"item": document.title})
        if document.flagged:
            messages.warning(request, document.flagged)
    return redirect(reverse("documents:case", args=[case.pk]) + "#papers")


@login_required
@require_POST
def paper_not_applicable(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer marks an item of a party's checklist not applicable, with the reason."""
    case = access.get_case(request.user, pk)
    form = NotApplicableForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
        return redirect(reverse("documents:case", args=[case.pk]) + "#papers")
    try:
        services.mark_not_applicable(
            case,
            form.cleaned_data["party"],
            form.cleaned_data["item"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Marked not applicable."))
    return redirect(reverse("documents:case", args=[case.pk]) + "#papers")


def _page(
    request,
    document: Document,
    *,
    content_form=None,
    service_form=None,
    correct_form=None,
    status=200,
):
    user = request.user
    may_draft = access.can_draft(user, document.case, document.doc_type)
    step = services.current_step(document) if document.status == Status.PENDING else None
    editable = document.status == Status.DRAFT and may_draft and document.doc_type.is_drafted
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "case": document.case,
            "content_form": content_form or (ContentForm(document=document) if editable else None),
            "printable": files.printable(document)
            if may_draft
            else masking.masked_printable(document, files.printable(document)),
            "steps": document.steps.select_related("decided_by").order_by("round", "position"),
            "filed_sheet": Document.objects.filter(approval_of=document).first(),
            "current_step": step,
            "decision_form": DecisionForm()
            if step and access.can_decide_step(user, document, step.role)
            else None,
            "can_submit": editable and bool(document.doc_type.approval_roles),
            "can_issue": document.doc_type.is_drafted
            and access.can_issue(user, document)
            and (
                document.status == Status.APPROVED
                or (document.status == Status.DRAFT and not document.doc_type.approval_roles)
            ),
            "correct_form": correct_form
            or (
                CorrectForm()
                if document.status == Status.ISSUED and may_draft and not document.approval_of_id
                else None
            ),
            "service_form": service_form
            or (
                ServiceForm(document=document)
                if document.status == Status.ISSUED and access.can_serve(user, document)
                else None
            ),
            "services": document.services.select_related("proof", "recorded_by"),
            "versions": _versions(document),
        },
        status=status,
    )


def _versions(document: Document) -> list[Document]:
    first = document
    while first.previous_id:
        first = first.previous
    chain = [first]
    while True:
        following = Document.objects.filter(previous=chain[-1]).first()
        if following is None:
            return chain
        chain.append(following)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_document(request.user, pk)
    if request.method != "POST":
        return _page(request, document)
    form = ContentForm(request.POST, document=document)
    if form.is_valid():
        try:
            document = services.update_content(
                document, actor=request.user, content=form.cleaned_data
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            if request.htmx:
                return render(
                    request,
                    "documents/_content_form.html",
                    {
                        "document": document,
                        "content_form": ContentForm(document=document),
                        "saved": True,
                    },
                )
            messages.success(request, _("Saved."))
            return redirect(document)
    if request.htmx:
        return render(
            request, "documents/_content_form.html", {"document": document, "content_form": form}
        )
    return _page(request, document, content_form=form)


ACTIONS = ("submit", "approve", "reject", "issue", "correct", "serve")


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    document = access.get_document(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    user = request.user
    try:
        if action == "submit":
            services.submit(document, actor=user)
            messages.success(request, _("Submitted for approval."))
        elif action in ("approve", "reject"):
            services.decide(
                document,
                actor=user,
                approve=action == "approve",
                opinion=request.POST.get("opinion", ""),
            )
            messages.success(request, _("Your decision is recorded."))
        elif action == "issue":
            document = services.issue(document, actor=user)
            messages.success(
                request,
                _("Issued: %(number)s") % {"number": document.number or document.doc_type.name},
            )
        elif action == "correct":
            form = CorrectForm(request.POST)
            if not form.is_valid():
                return _page(request, document, correct_form=form)
            document = services.correct(document, actor=user, reason=form.cleaned_data["reason"])
            messages.success(
                request, _("A new version was started; the issued one stays as it was.")
            )
        elif action == "serve":
            form = ServiceForm(request.POST, request.FILES, document=document)
            if not form.is_valid():
                return _page(request, document, service_form=form)
            proof = form.cleaned_data.get("proof")
            data = {k: v for k, v in form.cleaned_data.items() if k != "proof"}
            services.record_service(
                document,
                actor=user,
                proof_name=proof.name if proof else "",
                proof_chunks=proof.chunks() if proof else None,
                **data,
            )
            messages.success(request, _("Service recorded."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        if action == "serve":
            return _page(
                request, document, service_form=ServiceForm(request.POST, document=document)
            )
    return redirect(document)


@login_required
@require_safe
def download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    document = access.get_document(request.user, pk)
    return files.respond(document, kind, actor=request.user)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def templates(request: HttpRequest) -> HttpResponse:
    if not access.can_keep_templates(request.user):
        raise Http404
    form = TemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.upload_template(
                form.cleaned_data["doc_type"],
                actor=request.user,
                name=upload.name,
                data=upload.read(),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            messages.success(request, _("Template saved."))
            return redirect("documents:templates")
    bureau = request.user.org_unit.bureau()
    return render(
        request,
        "documents/templates.html",
        {
            "form": form,
            "templates": BureauTemplate.objects.filter(org_unit=bureau)
            .select_related("doc_type", "uploaded_by")
            .defer("content"),
        },
    )
