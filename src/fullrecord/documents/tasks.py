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


@task()
def file_approval_sheet(document_id: int, actor_id: int) -> str:
    """File the 内部程序审批表 of a document whose chain approved it, if not filed yet."""
    from django.contrib.auth import get_user_model

    from .models import Document
    from .services import file_approval_sheet as file_sheet

    document = Document.objects.filter(pk=document_id).first()
    actor = get_user_model().objects.filter(pk=actor_id).first()
    if document is None or actor is None:
        return "gone"
    sheet = file_sheet(document, actor=actor)
    return sheet.sha256 if sheet else "not approved"
