"""DOCX from the shipped default layout or the bureau's own Word template; a template
naming an unknown placeholder is refused at upload, naming it."""

from __future__ import annotations

import io

import pytest
from docx import Document as WordDocument

from fullrecord.cases.choices import CaseState
from fullrecord.documents import render, services
from fullrecord.documents.services import DocumentError

from .helpers import doc_type, draft, issued, ready_case

pytestmark = pytest.mark.django_db


def word(*paragraphs: str) -> bytes:
    doc = WordDocument()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def text_of(data: bytes) -> str:
    return "\n".join(p.text for p in WordDocument(io.BytesIO(data)).paragraphs)


def test_the_default_docx_carries_the_case_number_and_the_parts(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    document = issued(case, "interview_record", bureau, body="问：姓名？答：王某某。")

    text = text_of(render.docx_bytes(render.printable(document)))

    assert case.number in text
    assert document.number in text
    assert "问：姓名？答：王某某。" in text
    assert "C0001" in text


def test_a_template_with_an_unknown_placeholder_is_refused_naming_it(bureau):
    with pytest.raises(DocumentError) as refused:
        services.upload_template(
            doc_type("stop_order"),
            actor=bureau.leader,
            name="模板.docx",
            data=word("{{ bureau }}", "{{ fine_amount }}"),
        )

    assert "fine_amount" in refused.value.messages[0]


def test_the_bureaus_template_replaces_the_default(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    services.upload_template(
        doc_type("stop_order"),
        actor=bureau.leader,
        name="模板.docx",
        data=word("本局格式 {{ title }} 案号 {{ case_number }}"),
    )
    document = draft(case, "stop_order", bureau.officer)

    text = text_of(render.docx_bytes(render.printable(document), services.template_for(document)))

    assert text.strip() == f"本局格式 责令停止违法行为通知书 案号 {case.number}"


def test_only_the_leader_or_the_administrator_sets_templates(bureau):
    with pytest.raises(DocumentError):
        services.upload_template(
            doc_type("stop_order"), actor=bureau.officer, name="x.docx", data=word("{{ title }}")
        )
