"""The role tour: every role's day in the demo bureau, at desktop and phone size.

Each role opens its dashboard (which starts with the to-do queue), follows the first
item of its queue to the work, and opens the pages of its menu. On every page: no error
page, no raw Django, no "---------" in a select, nothing scrolling sideways on a phone,
and no Latin-only word in the visible text outside data (issue 14): a word of Latin
letters is data when it is part of a token with a digit (case and device numbers, dates,
hashes), a dot, ``@`` or ``/`` (file names, addresses, paths), a user name, or inside
``<code>``/``<kbd>``/``<samp>`` or an element marked ``translate="no"``; otherwise only
the short list of units and acronyms in ``ALLOWED_LATIN`` may show.
``make screenshots`` runs this tour with ``FULLRECORD_SCREENSHOTS`` set, which saves a
full-page picture of each page at both sizes for review.
"""

from __future__ import annotations

import re

import pytest

from fullrecord.accounts.models import User
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
# Units and acronyms a Chinese reader of this system expects in Latin letters.
ALLOWED_LATIN = frozenset(
    [
        "API",
        "PDF",
        "SHA",
        "SM2",
        "SM3",
        "SM4",
        "DOCX",
        "XLSX",
        "ISO",
        "URL",
        "UDF",
        "CSV",
        "JSON",
        "ZIP",
        "MP4",
        "MOV",
        "JPEG",
        "JPG",
        "PNG",
        "SVG",
        "TOTP",
        "GPS",
        "ID",
        "IP",
        "HTTP",
        "HTTPS",
        "OpenAPI",
        "BagIt",
        "S3",
        "B",
        "KB",
        "MB",
        "GB",
        "TB",
        "KiB",
        "MiB",
        "GiB",
        "TiB",
        "fps",
        "kbps",
        "Mbps",
        "Hz",
        "kHz",
        "px",
    ]
)
# The visible text, without what HTML itself marks as code or not to be translated.
VISIBLE_TEXT = """() => {
  const skip = 'code, kbd, samp, [translate="no"], script, style, noscript';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip)) continue;
    if (!el.checkVisibility({checkOpacity: false, checkVisibilityCSS: true})) continue;
    parts.push(node.textContent);
  }
  for (const el of document.querySelectorAll('input[type=submit], input[type=button], [placeholder]')) {
    if (el.checkVisibility()) parts.push(el.value || '', el.placeholder || '');
  }
  return parts.join(' ');
}"""
TOKEN = re.compile(r"[A-Za-z0-9_.@/:+\-]+")
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def latin_words(text: str, usernames: frozenset[str]) -> list[str]:
    """The Latin-only words of ``text`` that are neither data nor allowed."""
    found = []
    for token in TOKEN.findall(text):
        token = token.strip(".:-/+")
        if not re.search("[A-Za-z]", token) or re.search(r"[0-9.@/]", token):
            continue
        if token in usernames:
            continue
        for word in re.split(r"[_:+\-]+", token):
            if word and word not in ALLOWED_LATIN and word.upper() not in ALLOWED_LATIN:
                found.append(word)
    return found


def _look(page, name: str, size: str, usernames: frozenset[str] = frozenset()) -> None:
    latin = latin_words(page.evaluate(VISIBLE_TEXT), usernames)
    assert not latin, f"{page.url} ({size}) shows Latin-only words: {sorted(set(latin))}"
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
    usernames = frozenset(User.objects.values_list("username", flat=True))
    page, errors = new_page(browser, site, SIZES[size])
    sign_in(page, username, demo.DEMO_PASSWORD)
    _look(page, f"{username}-dashboard", size, usernames)

    first = page.get_by_test_id("todo").get_by_test_id("todo-link").first
    if first.count():
        first.click()
        page.wait_for_load_state()
        _look(page, f"{username}-first-to-do", size, usernames)

    for url in PAGES:
        response = page.goto(url)
        assert response.status < 500, f"{url} answered {response.status} to {username}"
        _look(page, f"{username}-{url.strip('/').replace('/', '-')}", size, usernames)

    page.context.close()
    assert not errors, f"the browser reported errors: {errors}"
