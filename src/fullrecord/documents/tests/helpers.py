"""Cases and documents for the written-records tests, made through the services."""

from __future__ import annotations

import io

from pypdf import PdfReader

from fullrecord.cases.models import Cause
from fullrecord.cases.tests.helpers import ready_case
from fullrecord.core.demo import credit_code
from fullrecord.core.testing.factories import PartyFactory
from fullrecord.documents import papers, services
from fullrecord.documents.models import Document, DocumentType, PaperItem

# A one-pixel PNG: the smallest honest scan.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


def doc_type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code)


def draft(case, code: str, actor, **content) -> Document:
    document = services.create_draft(case, doc_type(code), actor=actor)
    if content:
        document = services.update_content(
            document, actor=actor, content={**document.content, **content}
        )
    return document


def approved(document: Document, bureau) -> Document:
    """Take ``document`` through its chain with the personas who hold each role."""
    services.submit(document, actor=document.created_by)
    signer = {"section_head": bureau.head, "legal": bureau.legal, "leader": bureau.leader}
    for role in document.doc_type.approval_roles:
        services.decide(document, actor=signer[role], approve=True, opinion="同意")
    document.refresh_from_db()
    return document


def issued(case, code: str, bureau, **content) -> Document:
    actor = bureau.officer if code != "legal_review" else bureau.legal
    document = draft(case, code, actor, **content)
    if document.doc_type.approval_roles:
        document = approved(document, bureau)
    return services.issue(document, actor=bureau.officer)


def scan(case, code: str, actor, data: bytes = PNG, name: str = "scan.png") -> Document:
    return services.upload_scan(case, doc_type(code), actor=actor, name=name, chunks=[data])


def item(name: str) -> PaperItem:
    """A checklist item of the seeded party-paper checklist, by its name."""
    return PaperItem.objects.get(name=name)


def paper(case, party, item_: PaperItem, actor, data: bytes = PNG, name: str = "scan.png"):
    return services.upload_party_paper(case, party, item_, actor=actor, name=name, chunks=[data])


def with_cause(case, code: str):
    """``case`` under a seeded cause (the factories make causes of their own)."""
    case.cause = Cause.objects.get(code=code)
    case.save(update_fields=["cause"])
    return case


def unit_party(case, name: str = "鑫源建材有限公司"):
    """A unit (法人或其他组织) as a party of ``case``."""
    return PartyFactory(
        case=case, name=name, kind="organisation", id_type="credit_code", id_number=credit_code(7)
    )


def file_every_required_paper(case, actor) -> None:
    """Each party's required papers filed, as an officer would before leaving 调查取证."""
    for checklist in papers.checklists(case):
        for line in checklist.missing:
            paper(case, checklist.party, line.item, actor)


def pdf_text(data: bytes) -> str:
    """The PDF's text as pypdf reads it. pypdf leaves a NUL before each character of
    fpdf2's two-byte CID font codes; the characters themselves come out intact."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages).replace("\x00", "")


DECISION = {
    "party": "王某某",
    "facts": "未经批准擅自占用耕地建设厂房",
    "evidence": "询问笔录、现场勘验笔录、照片",
    "legal_basis": "《中华人民共和国土地管理法》第七十七条",
    "penalty": "责令退还非法占用的土地，并处罚款人民币贰万元",
    "payment": "十五日内到指定银行缴纳",
    "remedies": "六十日内申请行政复议或者六个月内提起行政诉讼",
}


__all__ = ["ready_case"]
