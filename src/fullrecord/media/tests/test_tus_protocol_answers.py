"""/api/uploads/ answers with the headers and status codes tus 1.0.0 names."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import parse_http_date

from fullrecord.audit.models import AuditEntry
from fullrecord.media import tus
from fullrecord.media.choices import UploadState
from fullrecord.media.models import MediaItem, Upload

from .tus_helpers import URL, Tus, metadata

DATA = os.urandom(300_000)


@pytest.fixture
def officer_tus(bureau):
    return Tus(bureau.officer)


def test_options_lists_version_extensions_size_and_checksums(officer_tus, settings):
    settings.FULLRECORD_UPLOAD_MAX_BYTES = 12345
    for url in (URL, f"{URL}00000000-0000-0000-0000-000000000000"):
        response = officer_tus.client.options(url)  # no credentials needed to discover
        assert response.status_code == 204
        assert response["Tus-Version"] == "1.0.0"
        assert set(response["Tus-Extension"].split(",")) == {
            "creation",
            "creation-with-upload",
            "termination",
            "expiration",
            "checksum",
        }
        assert response["Tus-Max-Size"] == "12345"
        assert set(response["Tus-Checksum-Algorithm"].split(",")) >= {"sha1", "sha256"}


def test_creation_answers_201_with_an_absolute_location_and_expiry(officer_tus):
    before = timezone.now()
    response = officer_tus.create(len(DATA), metadata(filename="clip.mp4"))
    assert response.status_code == 201
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Location"].startswith("http://testserver/api/uploads/")
    assert response["Upload-Offset"] == "0"
    expires = parse_http_date(response["Upload-Expires"])
    assert expires >= (before + timedelta(hours=71)).timestamp()
    upload = Upload.objects.get()
    assert upload.length == len(DATA) and upload.filename == "clip.mp4"


def test_head_tells_offset_length_and_metadata_and_is_not_cached(officer_tus):
    meta = metadata(filename="a.mp4", filetype="video/mp4")
    location = officer_tus.create(len(DATA), meta)["Location"]
    officer_tus.patch(location, DATA[:1000], 0)
    response = officer_tus.head(location)
    assert response.status_code == 200
    assert response["Upload-Offset"] == "1000"
    assert response["Upload-Length"] == str(len(DATA))
    assert response["Upload-Metadata"] == meta
    assert response["Cache-Control"] == "no-store"
    assert response["Tus-Resumable"] == "1.0.0"


def test_the_last_patch_makes_the_item_and_names_it(officer_tus, api_client, bureau):
    location, response = officer_tus.upload(DATA, metadata(filename="clip.mp4"))
    sha256 = hashlib.sha256(DATA).hexdigest()
    assert response.status_code == 204
    assert response["Upload-Offset"] == str(len(DATA))
    assert response["X-Media-Sha256"] == sha256
    item = MediaItem.objects.get(pk=response["X-Media-Id"])
    assert (item.sha256, item.size, item.original_name) == (sha256, len(DATA), "clip.mp4")
    assert Upload.objects.get().state == UploadState.COMPLETE
    api_client.force_authenticate(bureau.officer)
    found = api_client.get("/api/media/", {"sha256": sha256}).json()["results"]
    assert [row["id"] for row in found] == [item.pk]
    # HEAD after the end still answers, so a client that lost the last answer learns the item.
    head = officer_tus.head(location)
    assert head["Upload-Offset"] == str(len(DATA)) and head["X-Media-Id"] == str(item.pk)


def test_the_same_bytes_again_are_a_custody_event_on_the_same_item(officer_tus):
    _, first = officer_tus.upload(DATA, metadata(filename="one.mp4"))
    _, second = officer_tus.upload(DATA, metadata(filename="two.mp4"))
    assert first["X-Media-Id"] == second["X-Media-Id"]
    assert (first["X-Media-Duplicate"], second["X-Media-Duplicate"]) == ("0", "1")
    assert MediaItem.objects.count() == 1
    actions = AuditEntry.objects.filter(
        object_type="media.mediaitem", object_id=first["X-Media-Id"]
    ).values_list("action", flat=True)
    assert list(actions) == ["media.ingest", "media.duplicate"]


def test_creation_with_upload_takes_the_first_bytes(officer_tus):
    response = officer_tus.create_with(len(DATA), DATA[:5000], metadata(filename="x.mp4"))
    assert response.status_code == 201
    assert response["Upload-Offset"] == "5000"
    patch = officer_tus.patch(response["Location"], DATA[5000:], 5000)
    assert patch.status_code == 204 and patch["X-Media-Id"]


def test_creation_with_the_whole_file_finishes_at_once(officer_tus):
    response = officer_tus.create_with(len(DATA), DATA, metadata(filename="x.mp4"))
    assert response.status_code == 201
    assert response["Upload-Offset"] == str(len(DATA))
    assert (
        MediaItem.objects.get(pk=response["X-Media-Id"]).sha256 == hashlib.sha256(DATA).hexdigest()
    )


def test_an_empty_file_is_evidence_too(officer_tus):
    response = officer_tus.create(0, metadata(filename="empty.mp4"))
    assert response.status_code == 201
    assert MediaItem.objects.get(pk=response["X-Media-Id"]).size == 0


@pytest.mark.parametrize("version", [None, "0.2.2", "2.0.0"])
def test_an_unsupported_version_is_412_with_the_supported_one(officer_tus, version):
    headers = {**officer_tus.auth, "Upload-Length": "10"}
    headers.pop("Tus-Resumable")
    if version:
        headers["Tus-Resumable"] = version
    response = officer_tus.client.generic("POST", URL, headers=headers)
    assert response.status_code == 412
    assert response["Tus-Version"] == "1.0.0"
    assert not Upload.objects.exists()


def test_a_wrong_offset_is_409_and_changes_nothing(officer_tus):
    location = officer_tus.create(len(DATA), metadata(filename="x.mp4"))["Location"]
    officer_tus.patch(location, DATA[:100], 0)
    for wrong in (0, 99, 101, 5000):
        response = officer_tus.patch(location, DATA[wrong : wrong + 100], wrong)
        assert response.status_code == 409
        assert response["Upload-Offset"] == "100"
    assert officer_tus.head(location)["Upload-Offset"] == "100"
    assert officer_tus.patch(location, DATA[100:], 100).status_code == 204


@pytest.mark.parametrize(
    "content_type", ["application/octet-stream", "text/plain", "multipart/form-data; boundary=x"]
)
def test_a_patch_that_is_not_offset_octet_stream_is_415(officer_tus, content_type):
    location = officer_tus.create(len(DATA))["Location"]
    response = officer_tus.patch(location, DATA[:100], 0, content_type=content_type)
    assert response.status_code == 415
    assert officer_tus.head(location)["Upload-Offset"] == "0"


def test_a_length_above_the_maximum_is_413(officer_tus, settings):
    settings.FULLRECORD_UPLOAD_MAX_BYTES = 1000
    assert officer_tus.create(1001).status_code == 413
    assert officer_tus.create(1000).status_code == 201
    assert Upload.objects.count() == 1


def test_a_body_past_the_declared_length_is_413(officer_tus):
    location = officer_tus.create(100)["Location"]
    response = officer_tus.patch(location, b"x" * 101, 0)
    assert response.status_code == 413
    assert officer_tus.head(location)["Upload-Offset"] == "0"


@pytest.mark.parametrize("length", ["", "-1", "1.5", "ten", "１０"])
def test_a_missing_or_odd_length_is_400(officer_tus, length):
    headers = {"Upload-Length": length} if length else {}
    response = officer_tus.client.generic("POST", URL, headers={**officer_tus.auth, **headers})
    assert response.status_code == 400


def test_someone_elses_upload_is_the_same_404_as_a_missing_one(officer_tus, bureau):
    location = officer_tus.create(len(DATA))["Location"]
    partner = Tus(bureau.officer2)
    missing = location[:-12] + "000000000000"
    malformed = location.rsplit("/", 1)[0] + "/not-a-uuid"
    assert partner.head(malformed).status_code == 404
    assert partner.head(malformed)["Tus-Resumable"] == "1.0.0"
    for url in (location, missing):
        assert partner.head(url).status_code == 404
        assert partner.patch(url, DATA[:10], 0).status_code == 404
        assert partner.delete(url).status_code == 404
    assert officer_tus.head(location)["Upload-Offset"] == "0"


def test_without_credentials_it_is_401(officer_tus):
    response = officer_tus.client.generic(
        "POST", URL, headers={"Tus-Resumable": "1.0.0", "Upload-Length": "1"}
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response["Tus-Resumable"] == "1.0.0"
    bad = {"Tus-Resumable": "1.0.0", "Upload-Length": "1", "Authorization": "Token nope"}
    assert officer_tus.client.generic("POST", URL, headers=bad).status_code == 401


def test_a_role_that_may_not_upload_is_403(bureau):
    response = Tus(bureau.inspector).create(10)
    assert response.status_code == 403
    assert not Upload.objects.exists()


def test_termination_answers_204_then_410_and_frees_the_bytes(officer_tus):
    location = officer_tus.create(len(DATA))["Location"]
    officer_tus.patch(location, DATA[:1000], 0)
    upload = Upload.objects.get()
    assert tus.spool_path(upload.pk).exists()
    response = officer_tus.delete(location)
    assert response.status_code == 204 and response["Tus-Resumable"] == "1.0.0"
    assert not tus.spool_path(upload.pk).exists()
    assert officer_tus.head(location).status_code == 410
    assert officer_tus.patch(location, DATA[1000:2000], 1000).status_code == 410
    assert officer_tus.delete(location).status_code == 410


def test_a_finished_upload_cannot_be_terminated(officer_tus):
    location, done = officer_tus.upload(DATA)
    assert officer_tus.delete(location).status_code == 403
    assert MediaItem.objects.filter(pk=done["X-Media-Id"]).exists()


def test_an_expired_upload_is_410(officer_tus):
    location = officer_tus.create(len(DATA))["Location"]
    Upload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert officer_tus.head(location).status_code == 410
    assert officer_tus.patch(location, DATA[:10], 0).status_code == 410


def test_each_patch_pushes_the_expiry_back(officer_tus):
    location = officer_tus.create(len(DATA))["Location"]
    Upload.objects.update(expires_at=timezone.now() + timedelta(minutes=5))
    response = officer_tus.patch(location, DATA[:10], 0)
    assert (
        parse_http_date(response["Upload-Expires"])
        > (timezone.now() + timedelta(hours=71)).timestamp()
    )


def test_a_repeated_last_patch_after_the_end_is_answered_again(officer_tus):
    location, done = officer_tus.upload(DATA)
    again = officer_tus.patch(location, b"", len(DATA))
    assert again.status_code == 204
    assert again["X-Media-Id"] == done["X-Media-Id"]
    assert officer_tus.patch(location, b"more", len(DATA)).status_code == 413
    assert officer_tus.patch(location, b"more", 0).status_code == 409


def test_method_override_tunnels_patch_and_delete(officer_tus):
    location = officer_tus.create(len(DATA))["Location"]
    response = officer_tus.client.post(
        location,
        data=DATA[:10],
        content_type="application/offset+octet-stream",
        headers={**officer_tus.auth, "Upload-Offset": "0", "X-HTTP-Method-Override": "PATCH"},
    )
    assert response.status_code == 204 and response["Upload-Offset"] == "10"
    response = officer_tus.client.generic(
        "POST", location, headers={**officer_tus.auth, "X-HTTP-Method-Override": "DELETE"}
    )
    assert response.status_code == 204


def test_other_methods_are_405(officer_tus):
    location = officer_tus.create(10)["Location"]
    assert officer_tus.client.get(URL, headers=officer_tus.auth).status_code == 405
    assert officer_tus.client.get(location, headers=officer_tus.auth).status_code == 405
    assert officer_tus.client.put(location, headers=officer_tus.auth).status_code == 405


def test_errors_come_in_the_users_language(officer_tus):
    location = officer_tus.create(len(DATA))["Location"]
    default = officer_tus.patch(location, DATA[:10], 5)  # no Accept-Language: Chinese
    english = officer_tus.patch(location, DATA[:10], 5, **{"Accept-Language": "en"})
    assert default.status_code == english.status_code == 409
    assert "服务器已收到" in default.content.decode()
    assert "the server holds 0 bytes" in english.content.decode()
