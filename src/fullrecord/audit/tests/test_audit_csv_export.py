"""CSV export: UTF-8 with a BOM for Excel, Chinese intact, streamed, the filter applied."""

from __future__ import annotations

import csv
import io

import pytest

from fullrecord.audit.services import record, sign_tree_head
from fullrecord.core.testing.factories import CaseFactory


@pytest.fixture
def entries(bureau):
    case = CaseFactory(number="清河国土执〔2026〕7号", org_unit=bureau.section1)
    record("case.edit", actor=bureau.officer, obj=case, case_id=case.pk, summary="修改违法地址")
    record("media.view", actor=bureau.officer, summary='=HYPERLINK("http://evil")')
    record("case.edit", actor=bureau.other_officer, summary="二科的记录")
    sign_tree_head()
    return case


def download(client, path, **params) -> tuple[object, bytes]:
    response = client.get(path, params)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def rows(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize("path", ["/audit/export.csv", "/api/audit/export.csv"])
def test_it_starts_with_a_bom_and_keeps_chinese(client, bureau, entries, path):
    client.force_login(bureau.head)

    response, raw = download(client, path, actor="officer")

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert raw.startswith(b"\xef\xbb\xbf")
    table = rows(raw)
    assert table[0][:3] == ["序号", "时间", "操作人"]
    assert any("修改违法地址" in row for row in table)
    assert any("清河国土执〔2026〕7号" in row for row in table)


def test_it_holds_only_what_the_filter_and_the_reader_allow(client, bureau, entries):
    client.force_login(bureau.head)

    _, raw = download(client, "/audit/export.csv", action="case.")

    summaries = [row[6] for row in rows(raw)[1:]]
    assert summaries == ["修改违法地址"]  # section two's edit is out of the head's reach


def test_cells_that_spreadsheets_would_run_are_defused(client, bureau, entries):
    client.force_login(bureau.officer)

    _, raw = download(client, "/audit/export.csv", action="media.view")

    assert rows(raw)[1][6] == '\'=HYPERLINK("http://evil")'


def test_each_row_carries_its_entry_hash(client, bureau, entries):
    client.force_login(bureau.leader)

    _, raw = download(client, "/audit/export.csv")

    table = rows(raw)
    assert table[0][-1] == "条目哈希"
    assert all(len(row[-1]) == 64 for row in table[1:])


def test_a_large_export_streams_in_batches(client, bureau, monkeypatch):
    from fullrecord.audit import queries

    for n in range(25):
        record("case.edit", actor=bureau.officer, summary=f"第{n}次")
    real_chunks = queries.chunks
    monkeypatch.setattr(queries, "chunks", lambda qs, size=1000: real_chunks(qs, 10))
    client.force_login(bureau.officer)

    response = client.get("/audit/export.csv")
    parts = list(response.streaming_content)

    assert len(parts) == 4  # the heading with the BOM, then three batches of at most ten
    assert len(rows(b"".join(parts))) == 26


def test_english_readers_get_english_headings(client, bureau, entries, settings):
    client.force_login(bureau.leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # what the language switch sets

    response = client.get("/audit/export.csv")

    assert rows(b"".join(response.streaming_content))[0][:3] == ["Sequence", "Time", "Who"]


def test_actions_read_as_words_and_system_entries_name_the_system(client, bureau, entries):
    record("retention.certificate", actor=None, summary="删除证明")
    client.force_login(bureau.audit_admin)

    table = rows(download(client, "/audit/export.csv")[1])

    actions = {row[3] for row in table[1:]}
    assert any(a.endswith("（case.edit）") and not a.startswith("case.") for a in actions)
    system = next(row for row in table if "删除证明" in row)
    assert system[2] == "系统"
