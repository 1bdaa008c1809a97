"""Journey: an officer uploads evidence into a case from the browser, and it survives cuts."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import expect

from fullrecord.core.testing.browser import (
    DESKTOP,
    PLAY_TO_THE_END,
    new_page,
    press_play,
    sign_in,
    snapshot,
    zh,
)
from fullrecord.core.testing.factories import AssignmentFactory, CaseFactory
from fullrecord.media.models import CaseMediaLink, MediaItem, Upload

from .mediafiles import make_audio, make_photo, make_video

pytestmark = pytest.mark.browser


@pytest.fixture
def case(bureau):
    case = CaseFactory(org_unit=bureau.section1, created_by=bureau.head)
    AssignmentFactory(case=case, officer=bureau.officer)
    return case


@pytest.fixture
def three_files(tmp_path):
    return [
        make_video(tmp_path / "现场执法 DSJ-001.mp4", seconds=1),
        make_photo(tmp_path / "现场照片.jpg"),
        make_audio(tmp_path / "询问录音.wav", seconds=1),
    ]


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_three_files_go_into_a_case_through_the_file_input(page, case, three_files):
    sign_in(page, "officer")
    page.goto(f"/media/upload/?case={case.pk}")  # where the case page's upload link leads

    page.get_by_test_id("file-input").set_input_files([str(p) for p in three_files])

    rows = page.get_by_test_id("upload")
    expect(rows).to_have_count(3)
    for index, path in enumerate(three_files):
        row = rows.nth(index)
        expect(row.locator("[data-name]")).to_have_text(path.name)
        expect(row.locator("[data-status]")).to_have_text(zh("Received in full"), timeout=30_000)
        expect(row.locator("progress")).to_have_js_property("value", 100)
        expect(row.locator("[data-result]")).to_have_text(zh("Open the record"))
        expect(row.locator("[data-cancel]")).to_be_hidden()
        expect(row.locator("[data-retry]")).to_be_hidden()
    snapshot(page, "upload-three-files-into-a-case")
    items = {item.sha256: item for item in MediaItem.objects.all()}
    assert set(items) == {_sha256(path) for path in three_files}
    assert {item.original_name for item in items.values()} == {p.name for p in three_files}
    assert CaseMediaLink.objects.filter(case=case).count() == 3

    # On the case page: the video's and the photo's thumbnails, the recording as a note.
    page.goto(case.get_absolute_url())
    thumbnails = page.get_by_test_id("case-evidence").get_by_test_id("thumbnail")
    expect(thumbnails).to_have_count(2)
    for index in range(2):
        thumbnails.nth(index).scroll_into_view_if_needed()
        expect(thumbnails.nth(index)).to_have_js_property("complete", True)
        assert thumbnails.nth(index).evaluate("img => img.naturalWidth") > 0
    # The video plays, and seeking to its end reaches the end.
    page.get_by_test_id("case-evidence").get_by_role("link", name=three_files[0].name).click()
    result = press_play(page).evaluate(PLAY_TO_THE_END)
    assert result["ready"] >= 2 and result["ended"], result


def test_a_file_dropped_on_the_zone_is_uploaded(page, bureau, tmp_path):
    sign_in(page, "officer")
    page.goto("/media/upload/")
    dropped = page.evaluate_handle(
        """() => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([new Uint8Array(70000).fill(7)], "dropped.jpg",
                                      {type: "image/jpeg"}));
          return transfer;
        }"""
    )
    page.get_by_test_id("dropzone").dispatch_event("drop", {"dataTransfer": dropped})
    row = page.get_by_test_id("upload")
    expect(row.locator("[data-status]")).to_have_text(zh("Received in full"), timeout=30_000)
    row.locator("[data-result]").click()
    item = MediaItem.objects.get()
    page.wait_for_url(f"**{item.get_absolute_url()}")
    assert item.original_name == "dropped.jpg" and item.size == 70000


def test_an_upload_cut_off_is_resumed(browser, site, bureau, tmp_path):
    """A dropped PATCH is retried by itself; a page closed mid-upload resumes the same
    upload when the same file is chosen again (fingerprint kept in localStorage)."""
    video = make_video(tmp_path / "长录像.mp4", seconds=2)
    page, errors = new_page(browser, site, DESKTOP)
    sign_in(page, "officer")
    page.goto("/media/upload/")

    # First the connection drops under every PATCH, and the client keeps retrying. Then
    # the server seems to refuse the PATCH outright (a 400 the client does not retry), so
    # the first page stops sending before it is closed: Playwright lets the requests of a
    # page being closed through unrouted, and a retry in flight then finished the upload
    # behind the test's back. One handler reads the mode, so no request ever meets a gap
    # between two routes.
    mode = {"patch": "drop"}

    def cut_then_refuse(route):
        if route.request.method != "PATCH":
            route.continue_()
        elif mode["patch"] == "drop":
            route.abort()
        else:
            route.fulfill(status=400, body="refused by the test")

    page.route("**/api/uploads/*", cut_then_refuse)
    page.get_by_test_id("file-input").set_input_files(str(video))
    status = page.get_by_test_id("upload").locator("[data-status]")
    expect(status).to_have_text(zh("Connection lost; trying again…"))
    assert Upload.objects.count() == 1
    mode["patch"] = "refuse"
    expect(page.get_by_test_id("upload")).to_have_class(re.compile(r"\bfailed\b"), timeout=90_000)
    assert Upload.objects.get().offset == 0
    page.close()

    # Back on a new page of the same browser: one PATCH drops, the retry goes through.
    page = page.context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    cut = {"done": False}

    def drop_first_patch(route):
        if route.request.method == "PATCH" and not cut["done"]:
            cut["done"] = True
            route.abort()
        else:
            route.continue_()

    page.route("**/api/uploads/*", drop_first_patch)
    page.goto("/media/upload/")
    page.get_by_test_id("file-input").set_input_files(str(video))
    expect(page.get_by_test_id("upload").locator("[data-status]")).to_have_text(
        zh("Received in full"), timeout=30_000
    )
    assert cut["done"]
    assert Upload.objects.count() == 1  # the first upload was resumed, not started again
    assert MediaItem.objects.get().sha256 == _sha256(video)
    page.context.close()
    script_errors = [e for e in errors if "net::" not in e and "Failed to load" not in e]
    assert not script_errors, script_errors
