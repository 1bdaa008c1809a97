"""Journey: the interface is Chinese by default and switches to English and back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fullrecord.core.testing.browser import en, sign_in, zh

pytestmark = pytest.mark.browser


def test_the_language_switch_goes_to_english_and_back(page, bureau):
    sign_in(page, "officer")
    page.goto("/cases/?q=清河")
    heading = page.get_by_role("heading", level=1)
    switch = page.get_by_test_id("language")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(heading).to_have_text(zh("Cases"))
    # Each language is offered in its own name.
    expect(switch.locator("option")).to_have_text(["简体中文", "English"])

    switch.select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading).to_have_text(en("Cases"))
    # Still on the same page, search included.
    expect(page.locator("#id_q")).to_have_value("清河")
    # The choice sticks to the next page.
    page.get_by_role("link", name=en("Dashboard")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(en("Dashboard"))

    page.get_by_test_id("language").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Dashboard"))
