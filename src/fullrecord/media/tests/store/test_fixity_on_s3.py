"""Fixity on S3: the bucket is listed for objects no record names, and a record whose
object is not in the bucket is named missing and answered 410 — against a real S3 API."""

from __future__ import annotations

import hashlib

import pytest

from fullrecord.media import fixity
from fullrecord.media.choices import FixityStatus
from fullrecord.media.models import MediaItem
from fullrecord.media.services import ingest_spooled
from fullrecord.media.spool import spool_chunks
from fullrecord.media.store import get_store

from .conftest import make_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def s3_backend(settings, s3_server, tmp_path):
    settings.FULLRECORD_STORAGE = {
        "backend": "s3",
        "root": tmp_path / "unused",
        "s3": s3_server.settings(s3_server.new_bucket()),
    }
    get_store.cache_clear()
    yield get_store()
    get_store.cache_clear()


def test_the_bucket_is_listed_for_objects_no_record_names(s3_backend, bureau):
    kept = make_sample(50_000, seed=1)
    ingest_spooled(
        spool_chunks([kept.data]), actor=bureau.officer, original_name="a.mp4", source="test"
    )
    stray = make_sample(40_000, seed=2)
    s3_backend.put_file(stray.spool(), stray.sha256, len(stray.data))

    report = fixity.check_originals()
    orphans = fixity.store_keys_without_record()

    assert (report.checked, report.failures) == (1, [])
    assert orphans == [stray.sha256]


def test_a_record_whose_object_is_gone_is_named_missing_and_answered_410(
    s3_backend, bureau, api_client
):
    gone = hashlib.sha256(b"never reached the bucket").hexdigest()
    item = MediaItem.objects.create(
        sha256=gone, size=24, original_name="gone.mp4", uploaded_by=bureau.officer
    )

    report = fixity.check_originals()

    assert [f.item_id for f in report.failures] == [item.pk]
    assert MediaItem.objects.get(pk=item.pk).fixity == FixityStatus.MISSING
    api_client.force_authenticate(bureau.officer)
    assert api_client.get(f"/api/media/{item.pk}/content").status_code == 410
