"""Asking for an original whose file was deleted answers "original missing", never a 500.

The request is the one a player sends; the file is really deleted from the store.
"""

from __future__ import annotations

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.media.choices import FixityStatus
from fullrecord.media.models import MediaItem
from fullrecord.media.store import get_store
from fullrecord.notifications.models import Notification

from .evidence import ingest_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost(bureau, request):
    item = ingest_bytes(bureau.officer, f"evidence {request.node.name}".encode(), "lost.mp4").item
    get_store().local_path(item.sha256).unlink()
    return item


@pytest.mark.parametrize("range_header", [None, "bytes=0-", "bytes=1-", "bytes=0-0,1-"])
def test_a_player_asking_for_a_deleted_original_gets_a_clear_chinese_410(
    api_client, bureau, lost, range_header
):
    api_client.force_authenticate(bureau.officer)
    headers = {"HTTP_RANGE": range_header} if range_header else {}

    response = api_client.get(
        f"/api/media/{lost.pk}/content", HTTP_ACCEPT_LANGUAGE="zh-hans", **headers
    )

    assert response.status_code == 410
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert "原始文件" in detail and "缺失" in detail


def test_the_request_is_recorded_and_the_item_marked_missing(
    api_client, bureau, lost, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(bureau.officer)

    with django_capture_on_commit_callbacks(execute=True):
        api_client.get(f"/api/media/{lost.pk}/content")
        api_client.get(f"/api/media/{lost.pk}/content")

    asked = AuditEntry.objects.filter(action="media.original_missing", object_id=str(lost.pk))
    assert asked.count() == 2  # every ask is recorded, with who asked
    assert {entry.actor_id for entry in asked} == {bureau.officer.pk}
    assert not AuditEntry.objects.filter(action="media.play", object_id=str(lost.pk)).exists()
    item = MediaItem.objects.get(pk=lost.pk)
    assert item.fixity == FixityStatus.MISSING and item.fixity_failed_at is not None
    failed = AuditEntry.objects.filter(action="media.fixity_failed", object_id=str(lost.pk))
    assert failed.get().data["found_by"] == "read"  # the incident once, not per ask
    told = Notification.objects.filter(key=f"fixity-{lost.pk}-missing")
    assert set(told.values_list("recipient__username", flat=True)) == {"archivist", "leader"}


def test_someone_who_may_not_see_the_item_still_gets_the_same_404(api_client, bureau, lost):
    api_client.force_authenticate(bureau.outsider_leader)

    response = api_client.get(f"/api/media/{lost.pk}/content")

    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="media.original_missing").exists()


def test_the_item_page_says_the_original_is_missing_instead_of_failing(client, bureau, lost):
    client.force_login(bureau.officer)

    page = client.get(f"/media/{lost.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="fixity-alert"' in html
    assert "完整性核验失败：原始文件缺失" in html
    assert MediaItem.objects.get(pk=lost.pk).fixity == FixityStatus.MISSING
    entry = AuditEntry.objects.get(action="media.fixity_failed", object_id=str(lost.pk))
    assert entry.data["found_by"] == "page"
