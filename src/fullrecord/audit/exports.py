"""Audit search results as CSV (streamed, for Excel) and as a PDF table (for the file).

Both carry what an auditor needs to check them: every row's entry hash, and (PDF
header, CSV response headers) the signed tree head the export is checked against.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from .labels import action_label
from .models import AuditEntry, SignedTreeHead

BOM = "\ufeff"  # Excel reads UTF-8 only with it; without it Chinese comes out garbled.
PDF_MAX_ROWS = 10_000
# Fonts with Chinese glyphs, in order of preference. fpdf2 embeds a subset of the
# first found, so the PDF reads the same on a machine without Chinese fonts.
CJK_FONTS = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),  # Debian fonts-noto-cjk
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),  # Fedora, Arch
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # Debian fonts-wqy-zenhei
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
]


# fontTools narrates every font subset at INFO; one PDF export would fill the log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class ExportUnavailable(Exception):
    pass


def _localtime(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def _actor(entry: AuditEntry) -> str:
    if entry.actor is None:
        return _("System")  # the scheduler, a worker, the retention sweep
    name = entry.actor.full_name
    username = entry.actor.username
    return f"{name} ({username})" if name and name != username else username


def _object(entry: AuditEntry) -> str:
    if not entry.object_type:
        return ""
    return f"{entry.object_label} #{entry.object_id}" if entry.object_id else entry.object_label


def columns() -> list[str]:
    return [
        _("Sequence"),
        _("Time"),
        _("Who"),
        _("Action"),
        _("Object"),
        _("Case"),
        _("Summary"),
        _("Details"),
        _("Entry hash"),
    ]


def _action(code: str) -> str:
    """The action as people read it, its code beside it for those who search the log."""
    label = action_label(code)
    return code if label == code else f"{label}（{code}）"


def _row(entry: AuditEntry) -> list[str]:
    return [
        str(entry.seq),
        _localtime(entry.at),
        _actor(entry),
        _action(entry.action),
        _object(entry),
        entry.case_number or (str(entry.case_id) if entry.case_id else ""),
        entry.summary,
        json.dumps(entry.data, ensure_ascii=False, sort_keys=True) if entry.data else "",
        entry.entry_hash,
    ]


# ---------------------------------------------------------------- CSV


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(value: str) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: make it plain text."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_lines(headings: list[str], batches: Iterable[list[AuditEntry]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(headings)
    for batch in batches:
        yield "".join(writer.writerow([_safe(v) for v in _row(entry)]) for entry in batch)


# ---------------------------------------------------------------- PDF


@dataclass
class PdfHeader:
    bureau: str
    filters: dict[str, str]
    exported_by: str
    exported_at: str
    head: SignedTreeHead | None
    truncated: bool = False
    lines: list[str] = field(default_factory=list)


@cache
def cjk_font() -> tuple[str, int]:
    """The font file and, in a collection, the index of its Simplified Chinese face."""
    for path in CJK_FONTS:
        if not path.exists():
            continue
        if path.suffix.lower() != ".ttc":
            return str(path), 0
        from fontTools.ttLib import TTCollection

        with TTCollection(str(path), lazy=True) as collection:
            names = [font["name"].getDebugName(1) or "" for font in collection.fonts]
        for index, name in enumerate(names):
            if name.endswith(" SC") and "Mono" not in name:
                return str(path), index
        return str(path), 0
    raise ExportUnavailable(
        "No Chinese font for the PDF export: install Debian's fonts-noto-cjk "
        "(make browser-deps installs it)."
    )


# Column widths in mm on landscape A4 (277 mm between the margins).
PDF_COLUMNS = (14, 31, 30, 28, 26, 34, 114)
LINE = 3.6  # mm per line at 8 pt


def pdf_bytes(header: PdfHeader, entries: Iterable[AuditEntry]) -> bytes:
    from fpdf import FPDF

    font_path, index = cjk_font()
    headings = columns()[:7]
    title = _("Audit log export")
    page_label = _("Page %(page)s of %(pages)s")

    class Document(FPDF):
        def header(self) -> None:
            self.set_font("cjk", size=13)
            self.text(self.l_margin, 14, title)
            self.set_font("cjk", size=8)
            y = 19.0
            lines = header.lines if self.page_no() == 1 else header.lines[:1]
            for line in lines:
                for part in _wrap(self, line, self.epw):
                    self.text(self.l_margin, y, part)
                    y += LINE
            y += 1
            self.set_fill_color(230, 234, 240)
            self.rect(self.l_margin, y, self.epw, LINE + 1.5, style="F")
            x = self.l_margin
            for width, heading in zip(PDF_COLUMNS, headings, strict=True):
                self.text(x + 1, y + LINE - 0.3, heading)
                x += width
            self.set_y(y + LINE + 2)

        def footer(self) -> None:
            self.set_font("cjk", size=8)
            # A cell, not text(): only cells get the total page count filled in for "{nb}".
            self.set_xy(self.l_margin, self.h - 11)
            self.cell(
                w=self.epw,
                h=4,
                text=page_label % {"page": self.page_no(), "pages": self.str_alias_nb_pages},
                align="R",
            )

    pdf = Document(orientation="L", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(title)
    pdf.set_creator("fullrecord")
    pdf.add_font("cjk", fname=font_path, collection_font_number=index)
    pdf.set_font("cjk", size=8)
    header.lines = _header_lines(header)
    pdf.add_page()
    bottom = pdf.h - 14
    count = 0
    for entry in entries:
        count += 1
        cells = [
            _wrap(pdf, value, width - 2)
            for value, width in zip(_row(entry)[:7], PDF_COLUMNS, strict=True)
        ]
        height = max(len(lines) for lines in cells) * LINE + 1.5
        if pdf.get_y() + height > bottom:
            pdf.add_page()
        y = pdf.get_y()
        x = pdf.l_margin
        for width, lines in zip(PDF_COLUMNS, cells, strict=True):
            for n, line in enumerate(lines):
                pdf.text(x + 1, y + LINE - 0.3 + n * LINE, line)
            x += width
        pdf.set_draw_color(210, 214, 220)
        pdf.line(pdf.l_margin, y + height - 0.5, pdf.l_margin + pdf.epw, y + height - 0.5)
        pdf.set_y(y + height)
    if count == 0:
        pdf.text(pdf.l_margin + 1, pdf.get_y() + LINE, _("No entry matches."))
    return bytes(pdf.output())


def _header_lines(header: PdfHeader) -> list[str]:
    filters = "; ".join(f"{k}={v}" for k, v in header.filters.items()) or _("none")
    lines = [
        _("%(bureau)s · exported by %(who)s at %(when)s")
        % {"bureau": header.bureau, "who": header.exported_by, "when": header.exported_at},
        _("Filter: %(filters)s") % {"filters": filters},
    ]
    if header.head is not None:
        lines.append(
            _(
                "Checked against the signed tree head of %(size)s entries, signed %(signed)s: "
                "root %(root)s, key %(key)s"
            )
            % {
                "size": header.head.tree_size,
                "signed": _localtime(header.head.signed_at),
                "root": header.head.root_hash,
                "key": header.head.key_id[:16],
            }
        )
    else:
        lines.append(_("No signed tree head yet."))
    if header.truncated:
        lines.append(
            _("Only the newest %(count)s matching entries are listed; use the CSV export for all.")
            % {"count": PDF_MAX_ROWS}
        )
    return lines


def _wrap(pdf, text: str, width: float) -> list[str]:
    """Break text to fit ``width`` mm, by character: Chinese has no spaces to break at.

    fpdf2's own line breaking measures every character again for every cell, which makes
    a long export take minutes; widths are looked up once per character here instead.
    """
    widths = _char_widths(pdf)
    lines: list[str] = []
    for paragraph in (text or "").splitlines() or [""]:
        current, used = [], 0.0
        for char in paragraph:
            char_width = widths.get(char)
            if char_width is None:
                char_width = widths[char] = pdf.get_string_width(char)
            if current and used + char_width > width:
                lines.append("".join(current))
                current, used = [], 0.0
            current.append(char)
            used += char_width
        lines.append("".join(current))
    return lines


def _char_widths(pdf) -> dict[str, float]:
    key = (pdf.font_family, pdf.font_size_pt)
    cache_ = pdf.__dict__.setdefault("_fullrecord_widths", {})
    return cache_.setdefault(key, {})
