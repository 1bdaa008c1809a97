"""The role tour: every role's day in the demo bureau, at desktop and phone size.

Each role opens its dashboard (which starts with the to-do queue), follows the first
item of its queue to the work, and opens the pages of its menu. On every page: no error
page, no raw Django, no "---------" in a select, nothing scrolling sideways on a phone.
``make screenshots`` runs this tour with ``FULLRECORD_SCREENSHOTS`` set, which saves a
full-page picture of each page at both sizes for review.
"""

from __future__ import annotations

import pytest

from fullrecord.core import demo
from fullrecord.core.testing.browser import DESKTOP, PHONE, new_page, sign_in, snapshot

pytestmark = pytest.mark.browser

ROLES = ["officer1", "head1", "legal", "leader", "inspector", "archivist", "admin"]
PAGES = [
    "/todo/",
    "/cases/",
    "/media/",
    "/access/",
    "/audit/",
    "/notifications/",
    "/accounts/profile/",
]
SIZES = {"desktop": DESKTOP, "phone": PHONE}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _look(page, name: str, size: str) -> None:
    body = page.content()
    assert "---------" not in body, f"{page.url}: a select shows dashes"
    assert "Traceback" not in body and "DEBUG" not in body, f"{page.url}: a raw Django page"
    assert 'data-testid="error-500"' not in body, f"{page.url}: the server failed"
    if size == "phone":
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{page.url} scrolls sideways on a phone"
    snapshot(page, f"{size}-{name}")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("username", ROLES)
def test_each_role_walks_its_day(browser, site, demo_users, username, size):
    page, errors = new_page(browser, site, SIZES[size])
    sign_in(page, username, demo.DEMO_PASSWORD)
    _look(page, f"{username}-dashboard", size)

    first = page.get_by_test_id("todo").get_by_test_id("todo-link").first
    if first.count():
        first.click()
        page.wait_for_load_state()
        _look(page, f"{username}-first-to-do", size)

    for url in PAGES:
        response = page.goto(url)
        assert response.status < 500, f"{url} answered {response.status} to {username}"
        _look(page, f"{username}-{url.strip('/').replace('/', '-')}", size)

    page.context.close()
    assert not errors, f"the browser reported errors: {errors}"
