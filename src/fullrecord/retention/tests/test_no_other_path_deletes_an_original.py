"""第十八条第五项: the admin, the API, a model call, a queryset call and raw SQL all refuse
to delete an original; the store's delete is called from the retention sweep only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from fullrecord.media.models import MediaItem, OriginalIsImmutable

from .helpers import footage

SRC = Path(__file__).resolve().parents[2]


@pytest.fixture
def item(bureau):
    return footage(bureau.officer)


def test_a_model_call_is_refused(item):
    with pytest.raises(OriginalIsImmutable):
        item.delete()
    assert MediaItem.objects.filter(pk=item.pk).exists()


def test_a_queryset_call_is_refused(item):
    with pytest.raises(OriginalIsImmutable):
        MediaItem.objects.filter(pk=item.pk).delete()
    assert MediaItem.objects.filter(pk=item.pk).exists()


def test_raw_sql_is_refused_by_the_database(item):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM media_mediaitem WHERE id = %s", [item.pk])
    assert MediaItem.objects.filter(pk=item.pk).exists()


def test_the_admin_refuses_even_a_superuser(client, bureau, item):
    bureau.admin.is_staff = bureau.admin.is_superuser = True
    bureau.admin.save()
    client.force_login(bureau.admin)
    answer = client.post(f"/admin/media/mediaitem/{item.pk}/delete/", {"post": "yes"}, follow=False)
    assert answer.status_code in (403, 404, 302)
    assert MediaItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("path", ["/api/media/{pk}/", "/api/retention/items/{pk}/"])
def test_the_api_has_no_delete(api_client, bureau, item, path):
    api_client.force_authenticate(bureau.leader)
    answer = api_client.delete(path.format(pk=item.pk))
    assert answer.status_code == 405
    assert MediaItem.objects.filter(pk=item.pk).exists()


def test_only_the_retention_sweep_calls_the_stores_delete():
    callers = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "/tests/" not in str(path)
        and re.search(r"\._delete\(", path.read_text(encoding="utf-8"))
    )
    assert callers == ["retention/services.py"]
