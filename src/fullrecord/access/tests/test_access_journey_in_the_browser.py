"""Journey (issue 4): an officer asks to see another section's video, the leader approves,
the officer plays it and takes a watermarked copy, and the leader sees both in the audit log."""

from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import expect

from fullrecord.access.models import AccessRequest, Copy
from fullrecord.cases import services as case_services
from fullrecord.core.testing.browser import (
    DESKTOP,
    PLAY_TO_THE_END,
    new_page,
    press_play,
    sign_in,
    snapshot,
    zh,
)
from fullrecord.core.testing.factories import CauseFactory
from fullrecord.media.services import link_to_case
from fullrecord.media.tests.mediafiles import ingest_file, make_video

pytestmark = pytest.mark.browser


@pytest.fixture
def other_sections_video(bureau, tmp_path):
    case = case_services.create_case(
        actor=bureau.other_officer,
        cause=CauseFactory(),
        source="patrol",
        org_unit=bureau.section2,
        address="乙村",
    )
    item = ingest_file(
        make_video(tmp_path / "乙村现场.mp4", seconds=2, size=(320, 240)),
        actor=bureau.other_officer,
    )
    link_to_case(item, case, stage="discovery", actor=bureau.other_officer)
    return case, item


def test_request_approve_play_copy_and_audit(browser, site, bureau, other_sections_video):
    case, item = other_sections_video
    officer, officer_errors = new_page(browser, site, DESKTOP)
    leader, leader_errors = new_page(browser, site, DESKTOP)

    # The officer cannot see the video, and asks for it with a reason.
    sign_in(officer, "officer")
    assert officer.goto(f"/media/{item.pk}/").status == 404
    officer_errors.clear()  # the browser reports that 404 as a failed load: expected here
    officer.goto("/access/new/")
    officer.locator("#id_purpose").select_option("copy")
    officer.locator("#id_case_number").fill(case.number)
    officer.locator("#id_reason").fill("行政复议答辩需调阅现场录像")
    officer.locator("form.form button[type=submit]").click()
    expect(officer.get_by_test_id("request-state")).to_have_text(zh("Awaiting approval"))
    request = AccessRequest.objects.get()

    # The leader approves it for the default seven days.
    sign_in(leader, "leader")
    leader.goto("/access/")
    leader.get_by_role("link", name=request.number).first.click()
    leader.get_by_test_id("decide").click()
    expect(leader.get_by_test_id("request-state")).to_have_text(zh("Approved"))

    # The officer sees when it ends, opens the video and plays it to its end.
    officer.goto(f"/access/{request.pk}/")
    expect(officer.get_by_test_id("valid-until")).to_be_visible()
    officer.get_by_role("link", name=item.original_name).click()
    # Seen through the request, it plays as a rendition watermarked for the officer.
    expect(officer.get_by_test_id("playback-status")).to_contain_text(request.number)
    player = press_play(officer)
    result = player.evaluate(PLAY_TO_THE_END)
    assert result["ready"] >= 2 and result["duration"] > 1.5 and result["ended"], result
    rendition = Copy.objects.get(request=request, kind="rendition")
    assert request.number in rendition.watermark

    # …and takes a watermarked copy, whose bytes are the hash recorded with the request.
    officer.goto(f"/access/{request.pk}/")
    officer.get_by_test_id(f"copy-{item.pk}").click()
    expect(officer.get_by_test_id("copies")).to_be_visible()  # the page after the POST
    copy = Copy.objects.get(request=request, kind="watermarked")
    expect(officer.get_by_test_id(f"download-{copy.pk}")).to_be_visible()
    with officer.expect_download() as download_info:
        officer.get_by_test_id(f"download-{copy.pk}").click()
    path = download_info.value.path()
    copy.refresh_from_db()
    with open(path, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == copy.sha256 != item.sha256
    snapshot(officer, "access-request-with-copy")

    # The leader finds the play (with the request's number) and the copy in the audit log.
    leader.goto(f"/audit/?case={case.number}")
    table = leader.get_by_test_id("audit-entries")
    expect(table).to_contain_text("media.play")
    expect(table).to_contain_text("access.copy_download")
    leader.goto(f"/audit/?action=media.play&object_type=media.mediaitem&object_id={item.pk}")
    leader.locator("[data-testid=audit-entries] a").first.click()
    expect(leader.locator("main")).to_contain_text(request.number)

    for page in (officer, leader):
        page.context.close()
    assert not officer_errors and not leader_errors, officer_errors + leader_errors
