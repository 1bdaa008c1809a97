"""No exception leaves analysis: whatever goes wrong, the item is marked and kept."""

from __future__ import annotations

import pytest
from django.utils import translation

from fullrecord.media import analysis
from fullrecord.media.choices import ProbeStatus
from fullrecord.media.models import MediaItem
from fullrecord.media.tasks import analyse_media

pytestmark = pytest.mark.django_db


def _boom(*args, **kwargs):
    raise RuntimeError("decoder exploded")


def test_a_failure_inside_analysis_marks_the_item_unplayable(ingest, monkeypatch, h264_mp4):
    item = ingest(h264_mp4)
    monkeypatch.setattr(analysis, "inspect_av", _boom)

    with translation.override("en"):
        status = analysis.analyse_item(item)

    item.refresh_from_db()
    assert status == item.status == ProbeStatus.UNPLAYABLE
    assert item.problem == ("Analysis failed (decoder exploded); the original is kept as received.")


def test_a_failed_copy_leaves_the_item_described_but_unplayable(ingest, monkeypatch, mpeg4_avi):
    from fullrecord.media.analysis import proxy

    item = ingest(mpeg4_avi)
    monkeypatch.setattr(proxy, "_transcode", _boom)

    with translation.override("en"):
        status = analysis.analyse_item(item)

    item.refresh_from_db()
    assert status == ProbeStatus.UNPLAYABLE
    assert item.video_codec == "mpeg4"
    assert "playable copy could not be made" in item.problem
    assert not item.derivatives.filter(kind="proxy").exists()
    assert item.derivatives.filter(kind="poster").exists()


@pytest.mark.parametrize(
    ("fixture", "status"),
    [
        ("h264_mp4", ProbeStatus.READY),
        ("mpeg4_avi", ProbeStatus.PROXY),
        ("random_bytes", ProbeStatus.UNPLAYABLE),
        ("empty_file", ProbeStatus.UNPLAYABLE),
        ("truncated_mp4", ProbeStatus.UNPLAYABLE),
    ],
)
def test_the_background_task_returns_the_status(request, ingest, fixture, status):
    item = ingest(request.getfixturevalue(fixture))

    assert analyse_media.call(item.pk) == status
    assert MediaItem.objects.get(pk=item.pk).status == status


def test_the_task_survives_an_analysis_bug(ingest, monkeypatch, h264_mp4):
    item = ingest(h264_mp4)
    monkeypatch.setattr(analysis, "inspect_file", _boom)

    assert analyse_media.call(item.pk) == ProbeStatus.UNPLAYABLE


def test_ingest_runs_analysis_once_committed(bureau, django_capture_on_commit_callbacks, h264_mp4):
    from .mediafiles import ingest_file

    with django_capture_on_commit_callbacks(execute=True):
        item = ingest_file(h264_mp4, actor=bureau.officer)

    item.refresh_from_db()
    assert item.status == ProbeStatus.READY
    assert item.video_codec == "h264"
