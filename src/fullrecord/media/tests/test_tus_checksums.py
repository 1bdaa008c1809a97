"""The checksum extension: a chunk that does not match is refused with 460 and discarded."""

from __future__ import annotations

import hashlib
import os

import pytest

from fullrecord.media import tus
from fullrecord.media.models import MediaItem, Upload

from .tus_helpers import Tus, checksum, metadata

DATA = os.urandom(200_000)


@pytest.fixture
def officer_tus(bureau):
    return Tus(bureau.officer)


@pytest.mark.parametrize("algorithm", ["sha1", "sha256", "md5"])
def test_a_matching_checksum_is_accepted(officer_tus, algorithm):
    location = officer_tus.create(len(DATA))["Location"]
    first = officer_tus.patch(
        location, DATA[:1000], 0, **{"Upload-Checksum": checksum(algorithm, DATA[:1000])}
    )
    assert first.status_code == 204 and first["Upload-Offset"] == "1000"


@pytest.mark.parametrize("algorithm", ["sha1", "sha256"])
def test_a_mismatch_is_460_the_chunk_is_discarded_and_the_offset_unchanged(officer_tus, algorithm):
    location = officer_tus.create(len(DATA), metadata(filename="x.mp4"))["Location"]
    officer_tus.patch(location, DATA[:1000], 0)
    upload = Upload.objects.get()
    corrupted = DATA[1000:50_000][:-1] + b"\x00"
    response = officer_tus.patch(
        location, corrupted, 1000, **{"Upload-Checksum": checksum(algorithm, DATA[1000:50_000])}
    )
    assert response.status_code == 460
    assert response.reason_phrase == "Checksum Mismatch"
    assert officer_tus.head(location)["Upload-Offset"] == "1000"
    assert tus.spool_path(upload.pk).stat().st_size == 1000
    # The client sends the chunk again, intact; the item's hash is that of the true bytes.
    again = officer_tus.patch(
        location, DATA[1000:], 1000, **{"Upload-Checksum": checksum(algorithm, DATA[1000:])}
    )
    assert again.status_code == 204
    assert again["X-Media-Sha256"] == hashlib.sha256(DATA).hexdigest()
    assert MediaItem.objects.get().sha256 == hashlib.sha256(DATA).hexdigest()


@pytest.mark.parametrize("header", ["crc32 AAAA", "sha1 not*base64", "sha1", "sha512 " + "A" * 88])
def test_an_unknown_algorithm_or_malformed_checksum_is_400(officer_tus, header):
    location = officer_tus.create(len(DATA))["Location"]
    response = officer_tus.patch(location, DATA[:10], 0, **{"Upload-Checksum": header})
    assert response.status_code == 400
    assert officer_tus.head(location)["Upload-Offset"] == "0"


def test_a_mismatch_on_creation_with_upload_keeps_the_upload_at_zero(officer_tus):
    response = officer_tus.create_with(
        len(DATA), DATA[:100], **{"Upload-Checksum": checksum("sha1", b"other")}
    )
    assert response.status_code == 460
    assert response["Upload-Offset"] == "0"
    assert officer_tus.head(response["Location"])["Upload-Offset"] == "0"
