"""Write src/fullrecord/documents/docx/default.docx, the default Word layout of every type.

Run again after changing the layout: python tools/make_default_docx.py
The bureau replaces it per type by uploading its own template (placeholders: see
docs/documents.md).
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

OUT = Path(__file__).resolve().parent.parent / "src/fullrecord/documents/docx/default.docx"


def para(doc, text, *, size=12, bold=False, align=None):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.font.name = "SimSun"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    if align is not None:
        p.alignment = align
    return p


doc = Document()
C, R = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
para(doc, "{{ bureau }}", size=16, bold=True, align=C)
para(doc, "{{ title }}", size=20, bold=True, align=C)
para(doc, "{{ number }}", size=12, align=C)
para(doc, "案件编号：{{ case_number }}", size=10)
para(doc, "{%p for s in sections %}")
para(doc, "{{ s.label }}：", size=12, bold=True)
para(doc, "{{ s.text }}", size=12)
para(doc, "{%p endfor %}")
para(doc, "{%p for line in officer_lines %}")
para(doc, "执法人员（签名）：{{ line }}")
para(doc, "{%p endfor %}")
para(doc, "当事人（签名）：____________    日期：________")
para(doc, "{{ bureau }}（印章）", align=R)
para(doc, "{{ date }}", align=R)
OUT.parent.mkdir(parents=True, exist_ok=True)
doc.save(OUT)
print(OUT)
