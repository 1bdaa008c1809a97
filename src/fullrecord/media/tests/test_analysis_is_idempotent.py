"""Running analysis again changes nothing: same findings, same derived files, one log entry."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.utils import translation

from fullrecord.audit.models import AuditEntry
from fullrecord.media import derived
from fullrecord.media.analysis import analyse_item
from fullrecord.media.models import Derivative, MediaItem

pytestmark = pytest.mark.django_db


def _state(item):
    fresh = MediaItem.objects.get(pk=item.pk)
    fields = model_to_dict(fresh, exclude=["session", "gap_before", "interrupted"])
    derivatives = sorted(
        (d.pk, d.kind, d.path, d.size, d.width, d.height) for d in fresh.derivatives.all()
    )
    return fields, derivatives


@pytest.mark.parametrize(
    "fixture", ["h264_mp4", "mpeg4_avi", "exif_jpeg", "random_bytes", "truncated_faststart_mp4"]
)
def test_a_second_analysis_finds_the_same_and_keeps_the_same_rows(request, analysed, fixture):
    item = analysed(request.getfixturevalue(fixture))
    first = _state(item)

    with translation.override("en"):  # as the fixture did: the problem is stored in words
        analyse_item(item)
        analyse_item(item)

    assert _state(item) == first
    entries = AuditEntry.objects.filter(action="media.analyse", object_id=str(item.pk))
    assert entries.count() == 1


def test_the_time_of_use_set_from_the_device_is_not_moved_again(analysed, h264_mp4):
    item = analysed(h264_mp4)
    used_at = item.used_at

    analyse_item(item)
    item.refresh_from_db()

    assert item.used_at == used_at


def test_a_copy_no_longer_needed_is_removed_with_its_file(
    analysed, h264_mp4, django_capture_on_commit_callbacks
):
    item = analysed(h264_mp4)
    path, relative = derived.path_for(item, "proxy", "mp4")
    path.write_bytes(b"left over from an older analysis")
    Derivative.objects.create(
        item=item, kind="proxy", path=relative, content_type="video/mp4", size=32
    )

    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows have
        analyse_item(item)

    assert not Derivative.objects.filter(item=item, kind="proxy").exists()
    assert not path.exists()
    assert Derivative.objects.filter(item=item, kind="poster").exists()


def test_metadata_from_elsewhere_is_kept(analysed, h264_mp4):
    item = analysed(h264_mp4)
    MediaItem.objects.filter(pk=item.pk).update(
        metadata={**item.metadata, "station": {"device": "DSJ-01"}}
    )

    analyse_item(item)
    item.refresh_from_db()

    assert item.metadata["station"] == {"device": "DSJ-01"}
    assert "probe" in item.metadata
