"""Bad input for the export: a full or read-only target, an original missing from the
store, a request that does not cover the case. A clear error, no package left behind."""

from __future__ import annotations

import pytest

from fullrecord.access import services as access_services
from fullrecord.audit.models import AuditEntry
from fullrecord.retention import export

from .exports import approved_export, can_mount, case_with_evidence, mounted

needs_root = pytest.mark.skipif(not can_mount(), reason="mounting a small tmpfs needs root")


@needs_root
def test_a_full_disk_is_named_and_nothing_is_left(bureau, empty_store, tmp_path):
    case, _ = case_with_evidence(bureau, sizes=(600_000,))
    request = approved_export(bureau, case)
    with mounted(tmp_path / "small", "size=256k") as disk:
        with pytest.raises(export.ExportError, match="is full"):
            export.export_case(case, actor=bureau.archivist, request=request, out=disk / "bag")
        assert list(disk.iterdir()) == []  # noqa: SIM117 - checked while still mounted
    assert not AuditEntry.objects.filter(action="retention.export").exists()


@needs_root
def test_a_read_only_target_is_named(bureau, empty_store, tmp_path):
    case, _ = case_with_evidence(bureau, sizes=(1000,))
    request = approved_export(bureau, case)
    with (
        mounted(tmp_path / "ro", "ro,size=1m") as disk,
        pytest.raises(export.ExportError, match="read-only"),
    ):
        export.export_case(case, actor=bureau.archivist, request=request, out=disk / "bag")


def test_an_original_missing_from_the_store_is_named(bureau, empty_store, tmp_path):
    case, items = case_with_evidence(bureau)
    empty_store.local_path(items[1].sha256).unlink()
    request = approved_export(bureau, case)
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(export.ExportError) as refused:
        export.export_case(case, actor=bureau.archivist, request=request, out=target / "bag")
    assert items[1].sha256 in str(refused.value) and items[1].original_name in str(refused.value)
    assert list(target.iterdir()) == []


def test_a_non_empty_directory_is_refused(bureau, empty_store, tmp_path):
    case, _ = case_with_evidence(bureau, sizes=(1000,))
    request = approved_export(bureau, case)
    (tmp_path / "bag").mkdir()
    (tmp_path / "bag" / "old.txt").write_text("x")
    with pytest.raises(export.ExportError, match="not empty"):
        export.export_case(case, actor=bureau.archivist, request=request, out=tmp_path / "bag")


def test_only_an_approved_export_request_for_the_whole_case_opens_it(bureau, empty_store):
    case, items = case_with_evidence(bureau, sizes=(1000,))
    with pytest.raises(export.ExportError, match="No access request"):
        export.approved_request(case, bureau.archivist, "CY-2026-9999")
    pending = access_services.file_request(
        requester=bureau.archivist, reason="移交", purpose="export", case=case
    )
    with pytest.raises(export.ExportError, match="not approved"):
        export.approved_request(case, bureau.archivist, pending.number)
    only_items = access_services.decide(
        access_services.file_request(
            requester=bureau.archivist, reason="移交", purpose="export", items=items
        ),
        actor=bureau.leader,
        approve=True,
    )
    with pytest.raises(export.ExportError, match="whole case"):
        export.approved_request(case, bureau.archivist, only_items.number)
    approved = approved_export(bureau, case)
    with pytest.raises(export.ExportError, match="Only the archivist"):
        export.approved_request(case, bureau.leader, approved.number)
    assert export.approved_request(case, bureau.archivist, approved.number) == approved
