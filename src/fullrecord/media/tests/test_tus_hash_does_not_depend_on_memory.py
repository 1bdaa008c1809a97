"""The running SHA-256 is cached per process, but a miss re-hashes from disk: same result."""

from __future__ import annotations

import hashlib
import os

import pytest

from fullrecord.media import tus
from fullrecord.media.models import MediaItem, Upload

from .tus_helpers import Tus

DATA = os.urandom(3 * tus.BLOCK + 12345)


@pytest.fixture
def officer_tus(bureau):
    return Tus(bureau.officer)


def test_a_forgotten_hash_is_rebuilt_from_the_spool_file(officer_tus):
    location = officer_tus.create(len(DATA))["Location"]
    cuts = [0, 777, tus.BLOCK + 5, 2 * tus.BLOCK, len(DATA)]
    for start, end in zip(cuts, cuts[1:], strict=False):
        tus._hashes.clear()  # another worker, or a restart, took the previous PATCH
        response = officer_tus.patch(location, DATA[start:end], start)
        assert response.status_code == 204
    assert response["X-Media-Sha256"] == hashlib.sha256(DATA).hexdigest()


def test_a_stale_cached_hash_is_not_used(officer_tus):
    location = officer_tus.create(len(DATA))["Location"]
    officer_tus.patch(location, DATA[:1000], 0)
    upload = Upload.objects.get()
    tus._remember_hash(upload.pk, 999, hashlib.sha256(b"lies"))
    officer_tus.patch(location, DATA[1000:], 1000)
    assert MediaItem.objects.get().sha256 == hashlib.sha256(DATA).hexdigest()


def test_bytes_written_but_never_acknowledged_are_cut_off(officer_tus):
    """A worker died after writing but before committing the offset: the tail is dropped."""
    location = officer_tus.create(len(DATA))["Location"]
    officer_tus.patch(location, DATA[:1000], 0)
    upload = Upload.objects.get()
    with open(tus.spool_path(upload.pk), "ab") as spool:
        spool.write(b"garbage that no one was told about")
    tus._hashes.clear()
    assert officer_tus.head(location)["Upload-Offset"] == "1000"
    response = officer_tus.patch(location, DATA[1000:], 1000)
    assert response["X-Media-Sha256"] == hashlib.sha256(DATA).hexdigest()


def test_lost_bytes_are_admitted_with_the_true_offset(officer_tus):
    location = officer_tus.create(len(DATA))["Location"]
    officer_tus.patch(location, DATA[:1000], 0)
    upload = Upload.objects.get()
    os.truncate(tus.spool_path(upload.pk), 400)
    response = officer_tus.patch(location, DATA[1000:2000], 1000)
    assert response.status_code == 409 and response["Upload-Offset"] == "400"
    assert officer_tus.patch(location, DATA[400:], 400)["X-Media-Sha256"] == (
        hashlib.sha256(DATA).hexdigest()
    )
