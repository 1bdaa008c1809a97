"""After the documented restore, Chromium is told the copy is being made, then plays it.

The page fixture fails the test on any failed load or script error, so a broken
player or image would fail it. With the tests' immediate task backend the rebuild
runs while the first page is answered, so the reload finds the copy made.
"""

from __future__ import annotations

import shutil

import pytest

from fullrecord.core.testing.browser import PLAY_TO_THE_END, press_play, sign_in
from fullrecord.media.choices import ProbeStatus

from .mediafiles import ingest_file

pytestmark = pytest.mark.browser


def test_a_restored_item_says_it_is_being_made_then_plays(
    page, bureau, settings, tmp_path, mpeg4_avi
):
    settings.FULLRECORD_DERIVED_DIR = tmp_path / "derived"
    item = ingest_file(mpeg4_avi, actor=bureau.officer)
    item.refresh_from_db()  # analysed when the ingest committed
    assert item.status == ProbeStatus.PROXY
    shutil.rmtree(settings.FULLRECORD_DERIVED_DIR)  # the restore skips derived/

    sign_in(page, "officer")
    page.goto(item.get_absolute_url())

    notice = page.get_by_test_id("derived-being-made")
    assert notice.is_visible()
    assert "正在重新生成" in notice.inner_text()
    assert page.get_by_test_id("player").count() == 0

    page.goto("/media/")
    thumbnail = page.locator(f'img[src$="/{item.pk}/thumbnail"]')
    # decode() settles once the image has loaded: it rejects on a failed load
    assert thumbnail.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0

    page.goto(item.get_absolute_url())
    assert page.get_by_test_id("derived-being-made").count() == 0
    seen = press_play(page).evaluate(PLAY_TO_THE_END)
    assert seen["ended"] is True
    assert seen["duration"] == pytest.approx(item.duration, abs=0.25)
