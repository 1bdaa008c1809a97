"""The official Python client, tuspy, unmodified, against a real server over loopback."""

from __future__ import annotations

import hashlib
import os

import pytest
import requests
from tusclient.client import TusClient
from tusclient.storage.filestorage import FileStorage

from fullrecord.accounts.services import issue_api_token
from fullrecord.media.models import MediaItem, Upload

from .live import open_patch, server_fixture, wait_for  # noqa: F401

CHUNK = 256 * 1024


@pytest.fixture
def clip(tmp_path):
    path = tmp_path / "现场 DSJ-001 2026.mp4"
    path.write_bytes(os.urandom(3 * CHUNK + 4321))
    return path


@pytest.fixture
def token(bureau):
    return issue_api_token(bureau.officer)


def _client(server, token):
    return TusClient(f"{server}/api/uploads/", headers={"Authorization": f"Token {token}"})


def _found(server, token, sha256):
    response = requests.get(
        f"{server}/api/media/",
        params={"sha256": sha256},
        headers={"Authorization": f"Token {token}"},
        timeout=10,
    )
    assert response.status_code == 200
    return response.json()["results"]


def test_tuspy_uploads_in_chunks_with_checksums_and_the_api_finds_the_item(server, token, clip):
    uploader = _client(server, token).uploader(
        file_path=str(clip),
        chunk_size=CHUNK,
        metadata={"filename": clip.name, "filetype": "video/mp4", "device_number": "DSJ-001"},
        upload_checksum=True,
    )
    uploader.upload()
    sha256 = hashlib.sha256(clip.read_bytes()).hexdigest()
    headers = uploader.request.response_headers
    assert headers["x-media-sha256"] == sha256
    found = _found(server, token, sha256)
    assert [row["id"] for row in found] == [int(headers["x-media-id"])]
    item = MediaItem.objects.get(sha256=sha256)
    assert (item.original_name, item.device_number, item.size) == (
        clip.name,
        "DSJ-001",
        clip.stat().st_size,
    )


def test_tuspy_resumes_after_the_connection_drops_mid_chunk(server, token, clip, tmp_path):
    storage = FileStorage(str(tmp_path / "tus-urls.json"))
    data = clip.read_bytes()
    first = _client(server, token).uploader(
        file_path=str(clip), chunk_size=CHUNK, store_url=True, url_storage=storage
    )
    first.upload_chunk()
    assert first.offset == CHUNK

    # The lid closes: a PATCH announces the rest but only 100 kB arrive before the drop.
    sock = open_patch(first.url, token, CHUNK, len(data) - CHUNK)
    sock.sendall(data[CHUNK : CHUNK + 100_000])
    sock.close()
    wait_for(lambda: Upload.objects.get().offset == CHUNK + 100_000)

    # A new client for the same file finds the upload by fingerprint and carries on.
    second = _client(server, token).uploader(
        file_path=str(clip), chunk_size=CHUNK, store_url=True, url_storage=storage
    )
    assert second.url == first.url
    assert second.offset == CHUNK + 100_000
    second.upload()
    sha256 = hashlib.sha256(data).hexdigest()
    assert second.request.response_headers["x-media-sha256"] == sha256
    assert len(_found(server, token, sha256)) == 1
    assert Upload.objects.count() == 1


def test_an_empty_file_goes_through_tuspy_too(server, token, tmp_path):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    _client(server, token).uploader(file_path=str(empty)).upload()
    assert MediaItem.objects.get().size == 0
