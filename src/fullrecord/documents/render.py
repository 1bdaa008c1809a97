"""Documents as print: the PDF (fpdf2, an embedded CJK font) and the DOCX (docxtpl).

Both are made from one *printable* dict: the bureau, title, 文号, case number, the
parts with their labels, the officers with their 执法证号, the date. A draft's is
computed from its current content; an issued document's was frozen at issue and is
never computed again, so its PDF is the same bytes every time it is made.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.audit.exports import cjk_font

from .choices import Field
from .content import field_label, officers_of
from .models import Document

DEFAULT_TEMPLATE = Path(__file__).parent / "docx" / "default.docx"

# Every name a Word template may use; a template naming anything else is refused.
PLACEHOLDERS = frozenset(
    {
        "bureau",
        "title",
        "number",
        "case_number",
        "date",
        "sections",
        "officers",
        "officer_lines",
        "version",
        "correction_reason",
        *(str(f) for f in Field),
    }
)


def _date_zh(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def printable(document: Document) -> dict:
    """What the document says, ready to print (an issued document's frozen copy)."""
    if document.frozen:
        return document.frozen
    case = document.case
    content = document.content or {}
    officers = officers_of(content)
    officer_lines = [
        f"{u.full_name or u.username}（执法证号：{u.certificate_number or '—'}）" for u in officers
    ]
    sections = []
    for name in document.doc_type.fields:
        text = "；".join(officer_lines) if name == Field.OFFICERS else str(content.get(name, ""))
        sections.append({"name": name, "label": field_label(name), "text": text})
    today = timezone.localdate()
    data = {
        "bureau": case.org_unit.bureau().name,
        "title": document.doc_type.name,
        "number": document.number,
        "case_number": case.number,
        "date": _date_zh(today),
        "sections": sections,
        "officers": "；".join(officer_lines),
        "officer_lines": officer_lines,
        "version": document.version,
        "correction_reason": document.correction_reason,
    }
    for name in Field:
        data[str(name)] = next((s["text"] for s in sections if s["name"] == name), "")
    return data


# ---------------------------------------------------------------- PDF

MARGIN = 25  # mm, the official layout's margins are wider than the default


def pdf_bytes(data: dict, *, draft: bool = False, at: datetime | None = None) -> bytes:
    """The official layout: bureau and title, the 文号 line, the body, signature and seal."""
    from fpdf import FPDF
    from fpdf.enums import WrapMode, XPos, YPos

    font_path, index = cjk_font()
    pdf = FPDF(orientation="P", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.set_title(f"{data['title']} {data['number']}".strip())
    pdf.set_creator("fullrecord")
    # Fixed creation time: an issued document's PDF is the same bytes each time it is made.
    pdf.set_creation_date(at or datetime(2000, 1, 1, tzinfo=timezone.get_current_timezone()))
    pdf.add_font("cjk", fname=font_path, collection_font_number=index)
    pdf.add_page()
    if draft:
        pdf.set_font("cjk", size=48)
        pdf.set_text_color(225, 225, 225)
        with pdf.rotation(30, x=pdf.w / 2, y=pdf.h / 2):
            pdf.text(pdf.w / 2 - 40, pdf.h / 2, _("DRAFT"))
        pdf.set_text_color(0, 0, 0)
    pdf.set_font("cjk", size=16)
    pdf.cell(w=pdf.epw, h=10, text=data["bureau"], align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("cjk", size=20)
    pdf.cell(w=pdf.epw, h=12, text=data["title"], align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("cjk", size=11)
    number = data["number"] or _("(number given at issue)")
    pdf.cell(w=pdf.epw, h=8, text=number, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y() + 1
    pdf.set_draw_color(180, 0, 0)
    pdf.set_line_width(0.6)
    pdf.line(MARGIN, y, pdf.w - MARGIN, y)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.ln(5)
    pdf.set_font("cjk", size=10)
    pdf.cell(
        w=pdf.epw,
        h=6,
        text=_("Case number: %(number)s") % {"number": data["case_number"]},
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    if data.get("version", 1) > 1:
        pdf.multi_cell(
            w=pdf.epw,
            h=6,
            text=_("Version %(version)s, correcting the earlier one: %(reason)s")
            % {"version": data["version"], "reason": data.get("correction_reason", "")},
            wrapmode=WrapMode.CHAR,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.ln(2)
    for section in data["sections"]:
        pdf.set_font("cjk", size=12)
        pdf.cell(w=pdf.epw, h=8, text=f"{section['label']}：", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("cjk", size=11)
        for paragraph in (section["text"] or "—").splitlines() or ["—"]:
            pdf.multi_cell(
                w=pdf.epw,
                h=7,
                text="　　" + paragraph,
                wrapmode=WrapMode.CHAR,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        pdf.ln(1)
    # Signature block: the officers, then the party.
    if pdf.get_y() > pdf.h - MARGIN - 70:
        pdf.add_page()
    pdf.ln(6)
    pdf.set_font("cjk", size=11)
    for line in data.get("officer_lines") or []:
        pdf.cell(
            w=pdf.epw,
            h=7,
            text=_("Officer (signature): %(line)s") % {"line": line},
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.cell(
        w=pdf.epw,
        h=7,
        text=_("Party (signature): ____________    Date: ________"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    # Seal block: bureau and date at the right, the seal's circle over them.
    pdf.ln(10)
    x_right = pdf.w - MARGIN
    seal_y = pdf.get_y()
    pdf.set_draw_color(200, 0, 0)
    pdf.set_line_width(0.8)
    pdf.ellipse(x_right - 58, seal_y - 8, 40, 40)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_xy(MARGIN, seal_y + 4)
    pdf.cell(
        w=pdf.epw,
        h=7,
        text=f"{data['bureau']}（印章）",
        align="R",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.cell(w=pdf.epw, h=7, text=data["date"], align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def approval_sheet_pdf(document: Document) -> bytes:
    """内部程序审批表: the chain of a document, each step's role, signer, time and opinion."""
    from fpdf import FPDF
    from fpdf.enums import WrapMode, XPos, YPos

    from fullrecord.accounts.choices import Role

    font_path, index = cjk_font()
    pdf = FPDF(orientation="P", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.set_creator("fullrecord")
    pdf.add_font("cjk", fname=font_path, collection_font_number=index)
    pdf.add_page()
    case = document.case
    pdf.set_font("cjk", size=16)
    pdf.cell(
        w=pdf.epw,
        h=10,
        text=case.org_unit.bureau().name,
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font("cjk", size=20)
    pdf.cell(w=pdf.epw, h=12, text="内部程序审批表", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("cjk", size=11)
    for label, value in (
        (_("Case number"), case.number),
        (_("Cause"), case.cause.name),
        (_("Document"), f"{document.doc_type.name} {document.number}".strip()),
        (_("Drafted by"), str(document.created_by)),
    ):
        pdf.cell(w=pdf.epw, h=7, text=f"{label}：{value}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    steps = list(document.steps.select_related("decided_by").order_by("round", "position"))
    if not steps:
        pdf.cell(
            w=pdf.epw, h=7, text=_("No approval step yet."), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    for step in steps:
        pdf.set_draw_color(120, 120, 120)
        top = pdf.get_y()
        pdf.set_font("cjk", size=12)
        pdf.cell(
            w=pdf.epw,
            h=8,
            text=_("Round %(round)s, step %(position)s: %(role)s — %(status)s")
            % {
                "round": step.round,
                "position": step.position,
                "role": Role(step.role).label,
                "status": step.get_status_display(),
            },
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.set_font("cjk", size=11)
        pdf.multi_cell(
            w=pdf.epw,
            h=7,
            text=_("Opinion: %(opinion)s") % {"opinion": step.opinion or "—"},
            wrapmode=WrapMode.CHAR,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        signer = str(step.decided_by) if step.decided_by else "—"
        when = (
            timezone.localtime(step.decided_at).strftime("%Y-%m-%d %H:%M")
            if step.decided_at
            else "—"
        )
        pdf.cell(
            w=pdf.epw,
            h=7,
            text=_("Signed: %(who)s    Time: %(when)s") % {"who": signer, "when": when},
            align="R",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.rect(MARGIN - 2, top, pdf.epw + 4, pdf.get_y() - top + 1)
        pdf.ln(3)
    return bytes(pdf.output())


# ---------------------------------------------------------------- DOCX


class TemplateRefused(ValueError):
    pass


def placeholders_of(data: bytes) -> set[str]:
    """The variables a Word template uses (docxtpl reads its Jinja tags)."""
    from docxtpl import DocxTemplate

    try:
        template = DocxTemplate(io.BytesIO(data))
        return set(template.get_undeclared_template_variables())
    except Exception as exc:  # not a Word file, or broken tags: refused with the reason
        raise TemplateRefused(
            _("This is not a Word template that can be read: %(error)s") % {"error": exc}
        ) from exc


def check_template(data: bytes) -> None:
    unknown = sorted(placeholders_of(data) - PLACEHOLDERS)
    if unknown:
        raise TemplateRefused(
            _("The template uses unknown placeholders: %(names)s. Known: %(known)s.")
            % {"names": "、".join(unknown), "known": "、".join(sorted(PLACEHOLDERS))}
        )


@cache
def default_template() -> bytes:
    return DEFAULT_TEMPLATE.read_bytes()


def docx_bytes(data: dict, template: bytes | None = None) -> bytes:
    from docxtpl import DocxTemplate

    doc = DocxTemplate(io.BytesIO(template or default_template()))
    context = dict(data)
    if not context.get("number"):
        context["number"] = _("(number given at issue)")
    doc.render(context, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
