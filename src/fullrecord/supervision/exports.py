"""The dashboard's figures as XLSX (openpyxl) and as a PDF report with its charts (fpdf2).

The PDF draws its bar charts with fpdf2's own rectangles: no image library, the same
numbers as the table beside them. Each export is recorded.
"""

from __future__ import annotations

import io
from datetime import date

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.audit.exports import cjk_font
from fullrecord.audit.services import record

from . import figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _title(start: date, end: date) -> str:
    return _("Supervision figures %(start)s to %(end)s") % {
        "start": start.isoformat(),
        "end": end.isoformat(),
    }


def _cell(value) -> object:
    return "" if value is None else value


def xlsx_bytes(bureau, start: date, end: date, group: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    for index, (label, grouping) in enumerate(
        ((_("Per section"), "section"), (_("Per officer"), "officer"), (_("Per month"), "month"))
    ):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = label
        rows, total = figures.figures(bureau, start=start, end=end, group=grouping)
        sheet.append([_title(start, end)])
        sheet["A1"].font = Font(bold=True)
        header = [label] + [str(name) for name in figures.METRICS.values()]
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in [*rows, total]:
            sheet.append([row.key] + [_cell(row.values[m]) for m in figures.METRICS])
        sheet.column_dimensions["A"].width = 22
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bars(pdf, x: float, y: float, width: float, title: str, labels, values, unit: str) -> float:
    """A horizontal bar chart drawn with rectangles; returns the y below it."""
    pdf.set_font("cjk", size=10)
    pdf.text(x, y, title)
    y += 3
    pdf.set_font("cjk", size=8)
    top = max([v for v in values if v is not None] or [0]) or 1
    label_w, value_w = 40, 18
    bar_w = width - label_w - value_w
    for label, value in zip(labels, values, strict=True):
        pdf.text(x, y + 3.2, str(label)[:20])
        if value is not None:
            pdf.set_fill_color(59, 110, 165)
            pdf.rect(x + label_w, y + 0.6, max(bar_w * value / top, 0.3), 3.2, style="F")
            pdf.text(x + label_w + bar_w + 1, y + 3.2, f"{value}{unit}")
        else:
            pdf.text(x + label_w + 1, y + 3.2, "—")
        y += 4.6
    return y + 4


def pdf_bytes(bureau, start: date, end: date, group: str) -> bytes:
    from fpdf import FPDF

    font_path, index = cjk_font()
    rows, total = figures.figures(bureau, start=start, end=end, group=group)
    months, _m = figures.figures(bureau, start=start, end=end, group="month")
    pdf = FPDF(orientation="P", format="A4")
    pdf.set_title(_title(start, end))
    pdf.set_creator("fullrecord")
    pdf.add_font("cjk", fname=font_path, collection_font_number=index)
    pdf.add_page()
    pdf.set_font("cjk", size=14)
    pdf.text(pdf.l_margin, 16, _title(start, end))
    pdf.set_font("cjk", size=8)
    refreshed = figures.refreshed_at()
    pdf.text(
        pdf.l_margin,
        22,
        _("%(bureau)s · figures counted %(at)s")
        % {
            "bureau": bureau.name,
            "at": timezone.localtime(refreshed).strftime("%Y-%m-%d %H:%M") if refreshed else "—",
        },
    )
    y = 30.0
    width = pdf.epw
    labels = [row.key for row in rows]
    y = _bars(
        pdf,
        pdf.l_margin,
        y,
        width,
        str(figures.METRICS["coverage"]),
        labels,
        [row.values["coverage"] for row in rows],
        "%",
    )
    y = _bars(
        pdf,
        pdf.l_margin,
        y,
        width,
        str(figures.METRICS["association"]),
        labels,
        [row.values["association"] for row in rows],
        "%",
    )
    y = _bars(
        pdf,
        pdf.l_margin,
        y,
        width,
        str(figures.METRICS["review_score"]),
        labels,
        [row.values["review_score"] for row in rows],
        "",
    )
    pdf.add_page()
    y = _bars(
        pdf,
        pdf.l_margin,
        16,
        width,
        str(figures.METRICS["rectifications"]),
        [row.key for row in months],
        [row.values["rectifications"] for row in months],
        "",
    )
    y = _bars(
        pdf,
        pdf.l_margin,
        y,
        width,
        str(figures.METRICS["overdue"]),
        [row.key for row in months],
        [row.values["overdue"] for row in months],
        "",
    )
    # The table: every figure in numbers.
    pdf.set_font("cjk", size=7)
    widths = [34] + [22] * len(figures.METRICS)
    pdf.set_xy(pdf.l_margin, y)
    for w, heading in zip(widths, [""] + [str(n) for n in figures.METRICS.values()], strict=True):
        pdf.cell(w, 5, heading[:12], border=1)
    pdf.ln()
    for row in [*rows, total]:
        if pdf.get_y() > pdf.h - 20:
            pdf.add_page()
        pdf.cell(widths[0], 5, str(row.key)[:18], border=1)
        for w, metric in zip(widths[1:], figures.METRICS, strict=True):
            value = row.values[metric]
            pdf.cell(w, 5, "—" if value is None else str(value), border=1)
        pdf.ln()
    return bytes(pdf.output())


def respond(user, kind: str, *, start: date, end: date, group: str) -> HttpResponse:
    bureau = user.org_unit.bureau()
    if kind == "xlsx":
        body, content_type = xlsx_bytes(bureau, start, end, group), XLSX
    elif kind == "pdf":
        body, content_type = pdf_bytes(bureau, start, end, group), "application/pdf"
    else:
        raise Http404
    record(
        "supervision.export",
        actor=user,
        summary=_title(start, end),
        data={"format": kind, "start": start.isoformat(), "end": end.isoformat(), "group": group},
    )
    response = HttpResponse(body, content_type=content_type)
    name = f"supervision-{start.isoformat()}-{end.isoformat()}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def findings_xlsx(bureau, start: date, end: date, kind: str = "") -> tuple[bytes, int]:
    """Every automatic finding of the period (or of one kind), a sheet per kind, uncapped."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from . import findings

    workbook = Workbook()
    workbook.remove(workbook.active)
    total = 0
    title = _("Automatic findings %(start)s to %(end)s") % {
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    for group in findings.all_findings(bureau, start, end, kind=kind or None, first=0):
        # Sheet names: at most 31 characters, none of []:*?/\
        name = "".join(c for c in group.label if c not in "[]:*?/\\")[:31]
        sheet = workbook.create_sheet(name or group.key)
        sheet.append([f"{title} · {group.label}（{_('Article %(a)s') % {'a': group.article}}）"])
        sheet["A1"].font = Font(bold=True)
        sheet.append([_("Finding"), _("Detail"), _("Time"), _("Link")])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        offset = 0
        while offset < group.count:
            batch = group.fetch(offset, 500)
            if not batch:
                break
            for f in batch:
                sheet.append([f.title, f.detail, f.shown_at(), f.url])
            offset += len(batch)
        total += offset
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 60
        sheet.column_dimensions["C"].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), total


def findings_response(user, *, start: date, end: date, kind: str = "") -> HttpResponse:
    body, total = findings_xlsx(user.org_unit.bureau(), start, end, kind)
    record(
        "supervision.export",
        actor=user,
        summary=_("Automatic findings %(start)s to %(end)s")
        % {
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
        data={
            "format": "xlsx",
            "what": "findings",
            "kind": kind,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "rows": total,
        },
    )
    response = HttpResponse(body, content_type=XLSX)
    name = f"findings-{start.isoformat()}-{end.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
