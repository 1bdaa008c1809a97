"""Journey: typing in the case list's search box narrows the list in place (htmx)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from fullrecord.cases.access import visible_cases
from fullrecord.core import demo
from fullrecord.core.testing.browser import sign_in, zh

pytestmark = pytest.mark.browser


def test_typing_a_search_narrows_the_case_list_in_place(page, site, demo_users):
    mine = visible_cases(demo_users["head1"])
    wanted = mine.filter(address__contains="砂场")
    assert 0 < wanted.count() < mine.count()

    sign_in(page, "head1", demo.DEMO_PASSWORD)
    page.goto("/cases/")
    rows = page.locator("#case-rows tbody tr")
    expect(rows).to_have_count(mine.count())
    # Marks this document: a full page load would lose it, an htmx swap keeps it.
    page.evaluate("window.stillHere = true")

    search = page.get_by_label(zh("Search"))
    search.press_sequentially("砂场")
    expect(rows).to_have_count(wanted.count())
    for case in wanted:
        expect(rows.filter(has_text=case.number)).to_have_count(1)
    assert page.evaluate("window.stillHere === true")
    # The address bar follows, so the narrowed list can be bookmarked or shared.
    expect(page).to_have_url(f"{site}/cases/?" + urlencode({"q": "砂场"}))

    search.clear()
    expect(rows).to_have_count(mine.count())
    expect(page).to_have_url(f"{site}/cases/")
