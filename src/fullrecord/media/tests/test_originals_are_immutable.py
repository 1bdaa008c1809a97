"""第十八条第二项: an original cannot be changed or removed by any path."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from fullrecord.media.models import MediaItem, OriginalIsImmutable
from fullrecord.media.store import get_store

from .evidence import ingest_bytes


@pytest.fixture
def item(bureau):
    return ingest_bytes(bureau.officer, b"original bytes", "a.mp4").item


def test_the_model_refuses_to_change_the_hash(item):
    item.sha256 = "0" * 64
    with pytest.raises(OriginalIsImmutable):
        item.save()


def test_the_model_refuses_to_delete(item):
    with pytest.raises(OriginalIsImmutable):
        item.delete()


def test_bulk_delete_and_bulk_rewrite_are_refused(item):
    with pytest.raises(OriginalIsImmutable):
        MediaItem.objects.filter(pk=item.pk).delete()
    with pytest.raises(OriginalIsImmutable):
        MediaItem.objects.filter(pk=item.pk).update(size=1)


def test_raw_sql_update_of_the_hash_is_refused_by_the_database(item):
    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE media_mediaitem SET sha256 = %s WHERE id = %s", ["f" * 64, item.pk])
    item.refresh_from_db()
    assert item.sha256 != "f" * 64


def test_raw_sql_delete_is_refused_by_the_database(item):
    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM media_mediaitem WHERE id = %s", [item.pk])
    assert MediaItem.objects.filter(pk=item.pk).exists()


def test_classification_fields_can_still_change(item):
    MediaItem.objects.filter(pk=item.pk).update(device_number="DSJ-01")
    item.refresh_from_db()
    assert item.device_number == "DSJ-01"


def test_the_stored_file_is_read_only(item):
    path = get_store().local_path(item.sha256)
    assert path is not None and path.exists()
    assert path.stat().st_mode & 0o222 == 0


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_api_offers_no_way_to_change_an_original(api_client, bureau, item, method):
    api_client.force_authenticate(bureau.head)
    for url in (f"/api/media/{item.pk}/", f"/api/media/{item.pk}/content"):
        response = getattr(api_client, method)(url, {"sha256": "0" * 64}, format="json")
        assert response.status_code == 405
    item.refresh_from_db()
    assert get_store().verify(item.sha256)


def test_the_admin_refuses_change_and_delete_even_for_superusers(client, bureau, item):
    admin = bureau.admin
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert (
        client.post(f"/admin/media/mediaitem/{item.pk}/change/", {"sha256": "0" * 64}).status_code
        == 403
    )
    assert (
        client.post(f"/admin/media/mediaitem/{item.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert MediaItem.objects.filter(pk=item.pk, sha256=item.sha256).exists()


def test_the_same_bytes_again_are_one_item_with_a_custody_event(bureau, item):
    from fullrecord.audit.models import AuditEntry

    again = ingest_bytes(bureau.officer2, b"original bytes", "copy.mp4")
    assert again.created is False and again.item.pk == item.pk
    assert MediaItem.objects.count() == 1
    assert AuditEntry.objects.filter(action="media.duplicate", object_id=str(item.pk)).exists()
