"""第十八条第三项: copies are watermarked and hashed; originals leave only in the archivist's
approved export, as a package a court can check."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta

import av
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from fullrecord.access import copies, services, tasks
from fullrecord.access.models import AccessRequest, Copy
from fullrecord.audit.models import AuditEntry
from fullrecord.media.store import get_store
from fullrecord.media.tests.mediafiles import ingest_file, make_photo, make_video


@pytest.fixture
def video(bureau, tmp_path):
    return ingest_file(
        make_video(tmp_path / "scene.mp4", seconds=1, size=(320, 240)), actor=bureau.other_officer
    )


def approved(bureau, items, purpose="copy", requester=None):
    request = services.file_request(
        requester=requester or bureau.officer, reason="诉讼举证", items=items, purpose=purpose
    )
    return services.decide(request, actor=bureau.leader, approve=True)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def made(request, item, actor, capture) -> Copy:
    with capture(execute=True):
        copy = tasks.enqueue_copy(copies.start_copy(request, item, actor=actor))
    return Copy.objects.get(pk=copy.pk)


def test_a_video_copy_is_watermarked_hashed_and_recorded(
    bureau, video, django_capture_on_commit_callbacks
):
    request = approved(bureau, [video])
    copy = made(request, video, bureau.officer, django_capture_on_commit_callbacks)
    assert copy.state == "ready", copy.problem
    path = copies.copies_dir() / copy.path
    assert sha(path) == copy.sha256 != video.sha256
    assert request.number in copy.watermark and bureau.officer.certificate_number in copy.watermark
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0)).to_image().convert("L")
    with av.open(str(get_store().local_path(video.sha256))) as container:
        original = next(container.decode(video=0)).to_image().convert("L").resize(frame.size)
    band = (0, 0, frame.width, frame.height // 8)
    assert frame.crop(band).tobytes() != original.crop(band).tobytes()
    entry = AuditEntry.objects.get(action="access.copy")
    assert entry.data["sha256"] == copy.sha256 and entry.data["request"] == request.number
    assert get_store().verify(video.sha256)  # the original is untouched


def test_a_photo_copy_carries_the_watermark(bureau, tmp_path, django_capture_on_commit_callbacks):
    photo = ingest_file(
        make_photo(tmp_path / "site.jpg", size=(400, 300)), actor=bureau.other_officer
    )
    request = approved(bureau, [photo])
    copy = made(request, photo, bureau.officer, django_capture_on_commit_callbacks)
    assert copy.state == "ready", copy.problem
    with Image.open(copies.copies_dir() / copy.path) as image:
        assert image.size == (400, 300)


def test_a_view_only_request_gives_no_copies(bureau, video):
    request = approved(bureau, [video], purpose="view")
    with pytest.raises(ValidationError):
        copies.start_copy(request, video, actor=bureau.officer)


def test_no_copy_after_the_approval_ends(bureau, video):
    request = approved(bureau, [video])
    AccessRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    request.refresh_from_db()
    with pytest.raises(ValidationError):
        copies.start_copy(request, video, actor=bureau.officer)


def test_someone_else_cannot_use_the_request(bureau, video):
    request = approved(bureau, [video])
    with pytest.raises(ValidationError):
        copies.start_copy(request, video, actor=bureau.officer2)


def test_the_copy_downloads_only_for_its_maker_while_approved(
    api_client, bureau, video, django_capture_on_commit_callbacks
):
    request = approved(bureau, [video])
    copy = made(request, video, bureau.officer, django_capture_on_commit_callbacks)
    api_client.force_authenticate(bureau.officer2)
    assert api_client.get(f"/api/copies/{copy.pk}/content").status_code == 404
    api_client.force_authenticate(bureau.officer)
    response = api_client.get(f"/api/copies/{copy.pk}/content")
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == copy.sha256
    assert AuditEntry.objects.filter(action="access.copy_download").exists()


def test_the_original_itself_cannot_be_downloaded(api_client, bureau, video):
    api_client.force_authenticate(bureau.other_officer)
    response = api_client.get(f"/api/media/{video.pk}/content?download=1")
    assert response.status_code == 403


def test_only_an_archivist_files_an_export(bureau, video):
    with pytest.raises(ValidationError):
        services.file_request(requester=bureau.officer, reason="x", items=[video], purpose="export")


def test_the_archivists_export_is_a_bag_whose_manifest_matches(bureau, video):
    request = approved(bureau, [video], purpose="export", requester=bureau.archivist)
    copy = copies.export_originals(request, actor=bureau.archivist)
    assert copy.state == "ready"
    data = (copies.copies_dir() / copy.path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == copy.sha256
    with zipfile.ZipFile(io.BytesIO(data)) as bag:
        names = set(bag.namelist())
        assert {
            "bagit.txt",
            "bag-info.txt",
            "manifest-sha256.txt",
            "tagmanifest-sha256.txt",
            "data/custody.jsonl",
            "data/public-key.pem",
        } <= names
        for line in bag.read("manifest-sha256.txt").decode().splitlines():
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(bag.read(name)).hexdigest() == digest
        original = next(n for n in names if n.startswith("data/originals/"))
        assert hashlib.sha256(bag.read(original)).hexdigest() == video.sha256
    assert AuditEntry.objects.filter(action="access.export").exists()
