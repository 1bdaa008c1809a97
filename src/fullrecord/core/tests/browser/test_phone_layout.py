"""Journey: on a phone-sized screen nothing scrolls sideways and the menu opens."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fullrecord.cases.models import Case
from fullrecord.core import demo
from fullrecord.core.testing.browser import sign_in, snapshot, zh

# Not about records: moves need only what cases itself asks (core.testing.workflow).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("without_record_requirements")]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _fits(page) -> None:
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{page.url} scrolls sideways: {widths}"


def test_a_phone_sees_every_page_without_sideways_scrolling(phone_page, demo_users):
    page = phone_page
    sign_in(page, "head1", demo.DEMO_PASSWORD)
    _fits(page)

    # The menu folds away behind its toggle and opens with it.
    cases_link = page.get_by_role("link", name=zh("Cases"), exact=True)
    expect(cases_link).to_be_hidden()
    menu = page.get_by_role("checkbox", name=zh("Menu"))
    expect(menu).not_to_be_checked()
    page.locator(".nav-toggle-label").click()
    expect(menu).to_be_checked()
    expect(cases_link).to_be_visible()
    _fits(page)
    snapshot(page, "menu-phone")
    cases_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Cases"))
    expect(page.locator("#case-rows tbody tr").first).to_be_visible()
    _fits(page)

    # The case with the longest history has the longest page.
    case = max(
        Case.objects.filter(org_unit__code="QHX-1"),
        key=lambda c: c.transitions.count(),
    )
    page.goto(case.get_absolute_url())
    expect(page.get_by_test_id("timeline")).to_be_visible()
    _fits(page)
    snapshot(page, "case-phone")

    # English words are longer than Chinese ones; the page still fits.
    page.get_by_test_id("language").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _fits(page)
    snapshot(page, "case-phone-en")


def test_the_field_pages_fit_a_phone_with_long_file_names(phone_page, bureau):
    """Officers upload and look up footage in the field: those pages fit a phone too."""
    from fullrecord.media.tests.evidence import ingest_bytes

    long_name = "DSJ-0107_13010011_20261107094804_0004_" + "现场执法记录" * 6 + ".mp4"
    item = ingest_bytes(bureau.officer, b"field footage", long_name).item
    page = phone_page
    sign_in(page, "officer")
    for url in (
        item.get_absolute_url(),
        "/media/",
        "/media/upload/",
        "/access/new/",
        "/access/",
        "/audit/",
    ):
        page.goto(url)
        _fits(page)
