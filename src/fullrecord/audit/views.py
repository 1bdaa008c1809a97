"""Audit search pages (第十八条): the list with filters, one entry, and the exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import exports, queries
from .access import get_entry, require_search, visible_entries
from .models import SignedTreeHead

PAGE_SIZE = 50


def _search(request: HttpRequest) -> tuple[queries.AuditFilterForm, object]:
    """The bound filter form and the matching entries (none when the filter is invalid)."""
    require_search(request.user)
    form = queries.AuditFilterForm(request.GET)
    entries = visible_entries(request.user)
    return form, form.apply(entries) if form.is_valid() else entries.none()


@login_required
@require_safe
def entry_list(request: HttpRequest) -> HttpResponse:
    form, entries = _search(request)
    try:
        before = queries.parse_before(request.GET.get("before"))
    except ValueError:
        before = None
    page = queries.page(entries, before, PAGE_SIZE)
    filters = form.filters() if form.is_valid() else {}
    queries.record_search(request.user, filters, via="page", shown=len(page.items))
    query = request.GET.copy()
    query.pop("before", None)
    template = "audit/_entry_rows.html" if request.htmx else "audit/entry_list.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@require_safe
def entry_detail(request: HttpRequest, seq: int) -> HttpResponse:
    entry = get_entry(request.user, seq)
    queries.describe([entry])
    head = SignedTreeHead.objects.filter(tree_size__gte=entry.seq).order_by("-tree_size").first()
    return render(request, "audit/entry_detail.html", {"entry": entry, "head": head})


@login_required
@require_safe
def export(request: HttpRequest, kind: str) -> HttpResponse:
    form, entries = _search(request)
    filters = form.filters() if form.is_valid() else {}
    return export_response(request.user, entries, filters, kind)


def export_response(user, entries, filters: dict[str, str], kind: str) -> HttpResponse:
    """The CSV or PDF file of ``entries``; the page and the API both answer with it."""
    head = queries.latest_tree_head()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if kind == "pdf":
        try:
            exports.cjk_font()
        except exports.ExportUnavailable as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        rows = queries.page(entries, None, exports.PDF_MAX_ROWS)
        bureau = user.org_unit.bureau().name if user.org_unit_id else ""
        header = exports.PdfHeader(
            bureau=bureau,
            filters=filters,
            exported_by=f"{user} ({user.username})",
            exported_at=timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
            head=head,
            truncated=rows.next_before is not None,
        )
        content = exports.pdf_bytes(header, rows.items)
        queries.record_export(user, filters, kind="pdf", head=head)
        response = HttpResponse(content, content_type="application/pdf")
    else:
        # The file holds the log as it stood when asked for: not its own entry, nor later ones.
        mark = queries.record_export(user, filters, kind="csv", head=head)
        response = StreamingHttpResponse(
            exports.csv_lines(exports.columns(), queries.chunks(entries.filter(seq__lt=mark.seq))),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{kind}"'
    if head is not None:
        response["X-Audit-Tree-Size"] = str(head.tree_size)
        response["X-Audit-Root-Hash"] = head.root_hash
    response["Cache-Control"] = "no-store"
    return response
