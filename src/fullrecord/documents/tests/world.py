"""The written records the endpoint matrix (core/tests/test_endpoint_matrix.py) calls with.

On ``case1`` (section one, officer and officer2 assigned, at 发现):

- ``draft``: the officer's 立案呈批表, a draft (its chain: section head, then leader);
- ``plain``: the officer's 违法线索登记表, a draft that needs no approval (to issue);
- ``pending``: the officer's 立案呈批表 awaiting the section head;
- ``issued``: the officer's 责令停止违法行为通知书, issued, its PDF stored.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document as WordDocument

from fullrecord.documents import services
from fullrecord.documents.models import Document, DocumentType

from .helpers import PNG


@dataclass
class DocumentWorld:
    draft: Document
    plain: Document
    pending: Document
    issued: Document

    @staticmethod
    def type_id(code: str) -> int:
        return DocumentType.objects.get(code=code).pk


def build(bureau, case) -> DocumentWorld:
    officer = bureau.officer

    def new(code: str) -> Document:
        return services.create_draft(case, DocumentType.objects.get(code=code), actor=officer)

    pending = services.submit(new("filing_approval"), actor=officer)
    issued = services.issue(new("stop_order"), actor=officer)
    return DocumentWorld(
        draft=new("filing_approval"), plain=new("clue_register"), pending=pending, issued=issued
    )


def png(name: str = "scan.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PNG, content_type="image/png")


def word_template():
    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = WordDocument()
    doc.add_paragraph("{{ bureau }} {{ title }} {{ number }}")
    out = io.BytesIO()
    doc.save(out)
    return SimpleUploadedFile(
        "本局模板.docx",
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
