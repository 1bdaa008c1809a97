"""After the documented restore (which skips ``derived/``), previews and playable copies come back.

Real footage made with PyAV that a browser cannot play (MPEG-4 Part 2 in AVI) is
analysed, then ``derived/`` is deleted as the restore leaves it. The first request
queues the rebuild once and says so in Chinese; ``fullrecord rebuild_derived`` makes
the files again and the copy plays.
"""

from __future__ import annotations

import io
import shutil

import av
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks import default_task_backend

from fullrecord.media import derived
from fullrecord.media.choices import ProbeStatus
from fullrecord.media.models import Derivative, MediaItem

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def restored(settings, tmp_path, analysed, mpeg4_avi):
    """An analysed item whose derived files were lost in the documented restore."""
    settings.FULLRECORD_DERIVED_DIR = tmp_path / "derived"
    item = analysed(mpeg4_avi)
    assert item.status == ProbeStatus.PROXY
    assert {d.kind for d in item.derivatives.all()} == {"poster", "thumbnail", "proxy"}
    shutil.rmtree(settings.FULLRECORD_DERIVED_DIR)  # the restore does not copy derived/
    settings.TASKS = DUMMY  # queued work stays queued, so the test sees it
    return item


def queued_rebuilds() -> list:
    return [
        result.args
        for result in default_task_backend.results
        if result.task.name == "rebuild_derived"
    ]


def test_the_first_request_queues_one_rebuild_and_says_it_is_being_made(
    api_client, bureau, restored, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(bureau.officer)

    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            api_client.get(f"/api/media/{restored.pk}/{kind}", HTTP_ACCEPT_LANGUAGE="zh-hans")
            for kind in ("proxy", "poster", "thumbnail", "proxy")
        ]

    assert [r.status_code for r in responses] == [503] * 4  # not 404: it is coming back
    assert responses[0]["Retry-After"]
    assert "正在重新生成" in responses[0].json()["detail"]
    assert queued_rebuilds() == [[restored.pk]]  # once, however many asked


def test_the_pages_show_it_being_made_not_a_broken_player_or_image(
    client, bureau, restored, django_capture_on_commit_callbacks
):
    client.force_login(bureau.officer)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(f"/media/{restored.pk}/").content.decode()
        listing = client.get("/media/").content.decode()

    assert 'data-testid="derived-being-made"' in page
    assert "预览图和播放副本正在重新生成" in page
    assert f"/api/media/{restored.pk}/proxy" not in page  # no player pointing at nothing
    assert 'data-testid="thumb-being-made"' in listing
    assert f"/api/media/{restored.pk}/thumbnail" not in listing
    assert queued_rebuilds() == [[restored.pk]]


def test_rebuild_derived_missing_makes_them_again_with_progress(
    api_client, bureau, restored, analysed, h264_mp4, capsys, django_capture_on_commit_callbacks
):
    intact = analysed(h264_mp4)  # its files were made after the restore: not missing
    api_client.force_authenticate(bureau.officer)
    with django_capture_on_commit_callbacks(execute=True):
        api_client.get(f"/api/media/{restored.pk}/proxy")
    before = {d.kind: d.created_at for d in Derivative.objects.filter(item=intact)}

    call_command("rebuild_derived", "--missing", "--progress")

    printed = capsys.readouterr()
    assert "1/1" in printed.err  # the progress bar, forced on
    assert "of 1 record(s)" in printed.out and "proxy: 1" in printed.out
    for derivative in Derivative.objects.filter(item=restored):
        assert derived.absolute(derivative).is_file()
    assert MediaItem.objects.get(pk=restored.pk).derived_requested_at is None
    assert {d.kind: d.created_at for d in Derivative.objects.filter(item=intact)} == before
    response = api_client.get(f"/api/media/{restored.pk}/proxy")
    assert response.status_code == 200
    copy = Derivative.objects.get(item=restored, kind="proxy")
    with av.open(str(derived.absolute(copy))) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames > 0


def test_rebuild_derived_takes_named_items_or_all(restored):
    call_command("rebuild_derived", str(restored.pk), stdout=io.StringIO())
    assert all(derived.absolute(d).is_file() for d in Derivative.objects.filter(item=restored))

    shutil.rmtree(derived.root())
    call_command("rebuild_derived", "--all", stdout=io.StringIO())
    assert all(derived.absolute(d).is_file() for d in Derivative.objects.filter(item=restored))

    with pytest.raises(CommandError, match="999999"):
        call_command("rebuild_derived", "999999")


def test_the_case_page_shows_no_broken_thumbnail_either(
    client, bureau, restored, django_capture_on_commit_callbacks
):
    from fullrecord.cases import services as case_services
    from fullrecord.core.testing.factories import CauseFactory
    from fullrecord.media.services import link_to_case

    case = case_services.create_case(
        actor=bureau.officer,
        cause=CauseFactory(name="测试案由丁"),
        source="patrol",
        org_unit=bureau.section1,
        address="城关镇",
        parties=[{"kind": "person", "name": "孙某某", "id_type": "passport", "id_number": "E9"}],
    )
    link_to_case(restored, case, stage="investigation", actor=bureau.officer)
    client.force_login(bureau.officer)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(case.get_absolute_url()).content.decode()

    assert restored.original_name in page
    assert f"/api/media/{restored.pk}/thumbnail" not in page
    assert queued_rebuilds() == [[restored.pk]]
