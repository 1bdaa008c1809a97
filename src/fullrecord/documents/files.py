"""Answering for a document's files (pages and API share it): the issued PDF from the
evidence store, a draft's preview, the DOCX, the approval sheet. Each answer is recorded."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse

from fullrecord.media.store import get_store

from . import render, services
from .choices import Status
from .models import Document

printable = render.printable

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _name(document: Document, ext: str) -> str:
    base = document.number or f"{document.doc_type.name}-{document.pk}"
    return f"{base}.{ext}"


def respond(document: Document, kind: str, *, actor) -> HttpResponse:
    if kind == "pdf":
        if document.status == Status.ISSUED:
            document = services.ensure_pdf(document, actor=document.issued_by)
        if document.file_item_id:
            services.record_read(document, actor=actor, what="pdf")
            handle = get_store().open(document.sha256)
            name = document.file_item.original_name
            content_type = (
                CONTENT_TYPES["pdf"]
                if name.lower().endswith(".pdf")
                else "application/octet-stream"
            )
            return FileResponse(
                handle, content_type=content_type, filename=name, as_attachment=True
            )
        if not document.doc_type.is_drafted:
            raise Http404
        data = render.pdf_bytes(render.printable(document), draft=True)
        services.record_read(document, actor=actor, what="pdf (draft)")
        return _bytes(data, "pdf", _name(document, "pdf"))
    if kind == "docx":
        if not document.doc_type.is_drafted:
            raise Http404
        data = render.docx_bytes(render.printable(document), services.template_for(document))
        services.record_read(document, actor=actor, what="docx")
        return _bytes(data, "docx", _name(document, "docx"))
    if kind == "approval":
        sheet = services.approval_sheet_of(document)
        if sheet is not None:  # the filed one, as the chain approved it
            return respond(sheet, "pdf", actor=actor)
        services.record_read(document, actor=actor, what="approval sheet")
        return _bytes(
            render.approval_sheet_pdf(document), "pdf", f"内部程序审批表-{document.pk}.pdf"
        )
    raise Http404


def _bytes(data: bytes, ext: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[ext])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
