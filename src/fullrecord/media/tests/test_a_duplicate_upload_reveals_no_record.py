"""Sending bytes the bureau already holds, from outside that record's reach, tells the
sender they were received — never the record's id, page or case (issue 8)."""

from __future__ import annotations

import os
import re

from django.test import Client

from fullrecord.audit.models import AuditEntry
from fullrecord.cases import services as case_services
from fullrecord.cases.models import Case
from fullrecord.core.testing.factories import CauseFactory
from fullrecord.media.services import link_to_case

from .evidence import ingest_bytes
from .ingesttree import ingest
from .tus_helpers import Tus, metadata


def _held_in_a_case(bureau) -> tuple[bytes, int, Case]:
    data = os.urandom(50_000)
    case = case_services.create_case(
        actor=bureau.officer,
        cause=CauseFactory(name="测试案由丙"),
        source="patrol",
        org_unit=bureau.section1,
        address="城关镇",
        parties=[{"kind": "person", "name": "钱某某", "id_type": "passport", "id_number": "E2"}],
    )
    case_services.assign_officer(case, bureau.officer2, actor=bureau.head)
    item = ingest_bytes(bureau.officer, data, "scene.mp4").item
    link_to_case(item, case, stage="discovery", actor=bureau.officer)
    return data, item.pk, case


def _leaks(text: str, item_id: int, case: Case) -> list[str]:
    """The record's number as the project shows it (``#12``), its page, its case."""
    found = []
    if re.search(rf"#{item_id}(?!\d)", text) or "X-Media-Id" in text:
        found.append("id")
    if re.search(rf"/{item_id}/", text) or "X-Media-Url" in text:
        found.append("url")
    if case.number in text or re.search(rf"/cases/{case.pk}/", text):
        found.append("case")
    return found


def test_a_tus_upload_of_held_bytes_from_another_section_gets_no_id_url_or_case(bureau):
    data, item_id, case = _held_in_a_case(bureau)
    attacker = Tus(bureau.other_officer)

    location, last = attacker.upload(data, metadata(filename="copy.mp4"))
    head = attacker.head(location)

    for answer in (last, head):
        assert answer["Upload-Offset"] == str(len(data))
        # What the sender may learn: received in full, and the hash of their own bytes.
        assert set(answer.headers) <= {
            "Content-Type",
            "Content-Length",
            "Tus-Resumable",
            "Cache-Control",
            "Upload-Offset",
            "Upload-Length",
            "Upload-Metadata",
            "X-Media-Sha256",
            "X-Media-Duplicate",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
            "Content-Security-Policy",
            "X-Frame-Options",
            "Vary",
            "Permissions-Policy",
            "Content-Language",
            "X-Request-ID",  # a random id for the logs (core/requestlog.py)
        }, answer.headers
        shown = "\n".join(f"{k}: {v}" for k, v in answer.items()) + answer.content.decode()
        assert _leaks(shown, item_id, case) == []
    assert last["X-Media-Duplicate"] == "1"
    # The receipt is still recorded on the record's trail, for those who may read it.
    assert AuditEntry.objects.filter(
        action="media.duplicate", actor=bureau.other_officer, object_id=str(item_id)
    ).exists()


def test_the_outsiders_own_audit_trail_does_not_name_the_record(bureau, api_client):
    data, item_id, case = _held_in_a_case(bureau)
    ingest_bytes(bureau.other_officer, b"the outsider's own clip", "own.mp4")
    Tus(bureau.other_officer).upload(data, metadata(filename="copy.mp4"))
    assert AuditEntry.objects.filter(action="media.duplicate", object_id=str(item_id)).exists()

    api_client.force_authenticate(bureau.other_officer)
    listed = api_client.get("/api/audit/entries/?limit=500")
    assert listed.status_code == 200
    entries = listed.json()["results"]
    assert entries, "the outsider still sees their other actions"
    assert all(entry["object_id"] != str(item_id) for entry in entries), entries
    assert _leaks(listed.content.decode(), item_id, case) == []
    api_client.force_authenticate(None)
    client = Client()
    client.force_login(bureau.other_officer)
    page = client.get("/audit/")
    assert page.status_code == 200
    assert _leaks(page.content.decode(), item_id, case) == []
    # Those who may see the record still read the receipt on its trail.
    api_client.force_authenticate(bureau.head)
    trail = api_client.get(f"/api/audit/entries/?object_type=media.mediaitem&object_id={item_id}")
    assert "media.duplicate" in trail.content.decode()


def test_the_uploader_who_may_see_the_record_is_told_where_it_is(bureau):
    data, item_id, _case = _held_in_a_case(bureau)
    _location, last = Tus(bureau.officer2).upload(data, metadata(filename="copy.mp4"))
    assert last["X-Media-Id"] == str(item_id)
    assert last["X-Media-Url"].endswith(f"/{item_id}/")


def test_ingest_of_held_bytes_by_another_section_prints_no_record_number(bureau, tmp_path):
    data, item_id, case = _held_in_a_case(bureau)
    card = tmp_path / "card"
    card.mkdir()
    (card / "copy.mp4").write_bytes(data)

    out, error = ingest(card, "--as", "other_officer", "-v", "2")

    assert error is None, out
    assert "same bytes as a record already held" in out
    assert _leaks(out, item_id, case) == []
