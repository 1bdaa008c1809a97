"""第十八条第二项: an original the fixity sweep finds altered or missing waits on the
dashboard of the archivist and the leader, with its case and the item, until a check finds
it intact again — not only in a notification that scrolls away."""

from __future__ import annotations

import os

import pytest

from fullrecord.core.testing.factories import CaseFactory
from fullrecord.media.services import link_to_case
from fullrecord.retention import fixity

from .helpers import footage

pytestmark = pytest.mark.django_db


def fixity_todos(client, user) -> list[dict]:
    client.force_login(user)
    return [t for t in client.get("/api/todo/").json() if t["kind"] == "retention.fixity"]


def test_an_altered_original_is_on_the_archivist_s_and_the_leader_s_dashboard(
    bureau, client, empty_store
):
    item = footage(bureau.officer, name="DSJ_0042.mp4")
    case = CaseFactory(org_unit=bureau.section1)
    link_to_case(item, case, stage=case.stage, actor=bureau.head)
    path = empty_store.local_path(item.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(b"not the original")

    fixity.step(start=True)

    for user in (bureau.archivist, bureau.leader):
        [todo] = fixity_todos(client, user)
        assert "DSJ_0042.mp4" in todo["title"] and case.number in todo["title"]
        assert todo["url"] == f"/media/{item.pk}/"
    client.force_login(bureau.archivist)
    page = client.get("/").content.decode()
    assert "DSJ_0042.mp4" in page
    assert fixity_todos(client, bureau.officer) == []
    assert fixity_todos(client, bureau.outsider_leader) == []


def test_it_leaves_the_dashboard_once_the_original_is_restored(bureau, client, empty_store):
    item = footage(bureau.officer, name="DSJ_0043.mp4")
    path = empty_store.local_path(item.sha256)
    original = path.read_bytes()
    os.chmod(path, 0o644)
    path.write_bytes(b"not the original")
    fixity.step(start=True)
    assert len(fixity_todos(client, bureau.archivist)) == 1

    path.write_bytes(original)  # put back from the backup
    fixity.step(start=True)

    assert fixity_todos(client, bureau.archivist) == []
