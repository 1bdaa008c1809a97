"""Background work on written records (tasks call services, never the reverse)."""

from __future__ import annotations

from django_tasks import task


@task()
def store_pdf(document_id: int) -> str:
    """Make and store the PDF of an issued document whose PDF is not stored yet."""
    from .models import Document
    from .services import ensure_pdf

    document = Document.objects.filter(pk=document_id).select_related("issued_by").first()
    if document is None or document.issued_by is None:
        return "gone"
    return ensure_pdf(document, actor=document.issued_by).sha256
