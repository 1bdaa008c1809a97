"""Issue 11: a clip (from–to) of footage is asked for as a copy through the approval path,
and the copy made under the approval holds only the clip, watermarked like any copy."""

from __future__ import annotations

import hashlib

import av
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fullrecord.access import copies, services, tasks
from fullrecord.access.models import Copy
from fullrecord.audit.models import AuditEntry
from fullrecord.devices import services as device_services
from fullrecord.media.models import MediaItem
from fullrecord.media.store import get_store
from fullrecord.media.tests.mediafiles import ingest_file, make_video

SECONDS, FPS, GOP = 6.0, 10, 1.0  # x264 puts a keyframe at least every 250 frames: 25 s here


@pytest.fixture
def footage(bureau, tmp_path):
    item = ingest_file(
        make_video(tmp_path / "DSJ_0001.mp4", seconds=SECONDS, fps=FPS, size=(320, 240)),
        actor=bureau.officer,
    )
    if item.duration is None:  # analysis runs in the worker; the file is SECONDS long
        MediaItem.objects.filter(pk=item.pk).update(duration=SECONDS)
        item.refresh_from_db()
    return item


def duration_of(path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        times = [frame.time for frame in container.decode(stream)]
    return max(times) - min(times) + 1 / FPS


def clip_copy(bureau, item, start, end, capture) -> Copy:
    clip = device_services.request_clip(
        item, actor=bureau.officer, start=start, end=end, reason="复议举证"
    )
    request = services.decide(
        services.AccessRequest.objects.get(pk=clip.access_request_id),
        actor=bureau.leader,
        approve=True,
    )
    with capture(execute=True):
        copy = tasks.enqueue_copy(copies.start_copy(request, item, actor=bureau.officer))
    return Copy.objects.get(pk=copy.pk)


def test_the_approved_copy_holds_only_the_clip(bureau, footage, django_capture_on_commit_callbacks):
    copy = clip_copy(bureau, footage, 2.0, 4.5, django_capture_on_commit_callbacks)
    assert copy.state == "ready", copy.problem
    path = copies.copies_dir() / copy.path
    assert abs(duration_of(path) - 2.5) <= GOP
    assert abs(duration_of(get_store().local_path(footage.sha256)) - SECONDS) < 0.2
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == copy.sha256 != footage.sha256
    assert (copy.clip_start, copy.clip_end) == (2.0, 4.5)
    with av.open(str(path)) as container:
        description = container.metadata.get("description", "")
    assert f"sha256:{footage.sha256}" in description and "clip:2.00-4.50s" in description
    assert get_store().verify(footage.sha256)  # the original is untouched


def test_the_clip_is_in_the_request_its_audit_entries_and_the_decision_page(
    bureau, footage, django_capture_on_commit_callbacks
):
    copy = clip_copy(bureau, footage, 1.0, 3.0, django_capture_on_commit_callbacks)
    request = copy.request
    assert (request.clip_start, request.clip_end) == (1.0, 3.0)
    filed = AuditEntry.objects.get(action="access.request", object_id=str(request.pk))
    assert filed.data["clip"] == {"from": 1.0, "to": 3.0}
    made = AuditEntry.objects.get(action="access.copy")
    assert made.data["clip"] == {"from": 1.0, "to": 3.0}
    assert "1.0–3.0" in copy.watermark
    client = Client()
    client.force_login(bureau.leader)
    page = client.get(reverse("access:detail", args=[request.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert 'data-testid="clip-range"' in text and "1.0" in text and "3.0" in text
    assert "copies hold only this stretch" not in text  # in Chinese


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (3.0, 3.0, "片段的结束"),
        (4.0, 2.0, "片段的结束"),
        (1.0, SECONDS + 5, "片段须在"),
        (-1, 2, "片段须在"),
    ],
)
def test_a_clip_outside_the_footage_or_running_backwards_is_refused_in_chinese(
    bureau, footage, start, end, words
):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        device_services.request_clip(
            footage, actor=bureau.officer, start=start, end=end, reason="复议举证"
        )
    assert words in " ".join(refused.value.messages)
    assert not services.AccessRequest.objects.exists()


def test_a_clip_is_asked_for_through_the_api(bureau, footage, api_client):
    api_client.force_authenticate(bureau.officer)
    url = "/api/access-requests/"
    body = {"purpose": "copy", "reason": "复议举证", "items": [str(footage.pk)]}
    made = api_client.post(url, {**body, "clip_start": 1, "clip_end": 2.5}, format="json")
    assert made.status_code == 201, made.content
    assert (made.json()["clip_start"], made.json()["clip_end"]) == (1.0, 2.5)
    refused = api_client.post(
        url,
        {**body, "clip_start": 1, "clip_end": 99},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert refused.status_code == 400
    assert "片段须在" in refused.content.decode()
