"""PDF export: a table with Chinese set in an embedded CJK font, a header, page numbers."""

from __future__ import annotations

import re
import zlib

import pytest

from fullrecord.audit import exports
from fullrecord.audit.services import record, sign_tree_head


def streams(pdf: bytes) -> list[bytes]:
    out = []
    # fpdf2 ends a stream with "\nendstream". A compressed stream may itself end with a
    # "\r" byte, so "\r?\n" here would cut it off (1 page in 256); a CRLF writer's "\r"
    # is left over after the deflate data, which decompressobj ignores.
    for match in re.finditer(rb"stream\r?\n(.*?)\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return out


def unicode_map(pdf: bytes) -> dict[int, str]:
    """The embedded font's ToUnicode map: glyph code -> text (what a reader copies out)."""
    codes = {}
    for data in streams(pdf):
        if b"begincmap" in data:
            for code, text in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4,8})>", data):
                codes[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return codes


def _literals(data: bytes) -> list[bytes]:
    """The byte strings of ``(...) Tj`` operators, PDF escapes undone."""
    escapes = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    out, i = [], 0
    while (start := data.find(b"(", i)) != -1:
        raw, i, depth = bytearray(), start + 1, 1
        while True:
            byte = data[i]
            if byte == 0x5C:  # backslash
                nxt = data[i + 1]
                raw.append(escapes.get(nxt, nxt))
                i += 2
                continue
            if byte == 0x28:
                depth += 1
            elif byte == 0x29:
                depth -= 1
                if depth == 0:
                    break
            raw.append(byte)
            i += 1
        out.append(bytes(raw))
        i += 1
    return out


def page_texts(pdf: bytes) -> list[str]:
    """The text drawn on each page, decoded through the font's ToUnicode map."""
    codes = unicode_map(pdf)
    pages = []
    for data in streams(pdf):
        if b" Tj" not in data:
            continue
        lines = [
            "".join(
                codes.get(int.from_bytes(raw[n : n + 2], "big"), "?") for n in range(0, len(raw), 2)
            )
            for raw in _literals(data)
        ]
        pages.append("\n".join(lines))
    return pages


@pytest.fixture
def entries(bureau):
    for n in range(120):
        record("media.view", actor=bureau.officer, summary=f"查看执法记录仪视频第{n}段")
    sign_tree_head()


def pdf(client, **params) -> bytes:
    response = client.get("/audit/export.pdf", params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_it_is_a_pdf_with_an_embedded_chinese_font(client, bureau, entries):
    client.force_login(bureau.leader)

    body = pdf(client)

    assert body.startswith(b"%PDF-")
    assert b"/FontFile" in body  # the font travels with the file
    assert re.search(rb"/BaseFont /[A-Z]{6}\+\S*(CJK|Hei)", body)
    first = page_texts(body)[0]
    assert "审计日志导出" in first
    assert "清河县局" in first
    assert "查看执法记录仪视频第119段" in first


def test_a_long_export_runs_over_several_numbered_pages(client, bureau, entries):
    client.force_login(bureau.leader)

    body = pdf(client)

    pages = page_texts(body)
    assert len(pages) == len(re.findall(rb"/Type /Page\b", body)) >= 3
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页，共 {total} 页" in text.replace("\n", "")  # drawn in pieces
        assert "序号" in text  # the column headings again on every page


def test_the_header_names_the_filter_the_reader_and_the_signed_head(bureau, entries):
    from fullrecord.audit.models import SignedTreeHead

    head = SignedTreeHead.objects.order_by("-tree_size").first()
    header = exports.PdfHeader(
        bureau="清河县局",
        filters={"action": "media."},
        exported_by="leader (leader)",
        exported_at="2026-11-27 09:00:00",
        head=head,
    )

    lines = exports._header_lines(header)

    assert lines[0].startswith("清河县局")
    assert "leader (leader)" in lines[0]
    assert "action=media." in lines[1]
    assert head.root_hash in lines[2] and str(head.tree_size) in lines[2]


def test_rows_past_the_limit_are_left_to_the_csv(client, bureau, entries, monkeypatch):
    monkeypatch.setattr(exports, "PDF_MAX_ROWS", 50)
    captured = {}
    real = exports.pdf_bytes

    def spy(header, rows):
        captured["header"], captured["rows"] = header, list(rows)
        return real(header, captured["rows"])

    monkeypatch.setattr(exports, "pdf_bytes", spy)
    client.force_login(bureau.leader)

    pdf(client)

    assert len(captured["rows"]) == 50
    assert captured["header"].truncated


def test_long_chinese_text_wraps_by_character():
    from fpdf import FPDF

    font, index = exports.cjk_font()
    document = FPDF()
    document.add_font("cjk", fname=font, collection_font_number=index)
    document.set_font("cjk", size=8)

    lines = exports._wrap(document, "查看" * 40, 30)

    assert len(lines) > 1
    assert "".join(lines) == "查看" * 40
    assert all(document.get_string_width(line) <= 30 for line in lines)
