"""Shared pieces of the browser journeys: Chromium, a page, signing in.

Playwright drives Debian's Chromium (never a downloaded browser) against
pytest-django's ``live_server``.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connections
from django.utils import translation

CHROMIUM = Path(os.environ.get("FULLRECORD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "pw"  # noqa: S105 - the personas' password (core.testing.factories.UserFactory)
# Load a media element, seek to just before its end, play to the end; report what it saw.
PLAY_TO_THE_END = """
async (element) => {
  const waitFor = (name, ms) => new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    element.addEventListener(name, () => { clearTimeout(timer); resolve(true); }, {once: true});
  });
  element.muted = true;
  if (element.readyState < 1) await waitFor("loadedmetadata", 8000);
  element.currentTime = Math.max(element.duration - 0.2, 0);
  await waitFor("seeked", 8000);
  const played = element.play().then(() => true, () => false);
  await waitFor("ended", 8000);
  return {ready: element.readyState, ended: element.ended, at: element.currentTime,
          duration: element.duration, played: await played};
}
"""
# A one-page PDF standing in for the demo's scanned papers (see ``demo_users``).
SCAN_STAND_IN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def press_play(page):
    """Press the record page's play button, as a person does: the page then asks for the
    playback (one recorded play) and gives the player its signed URL. Returns the player."""
    player = page.get_by_test_id("player")
    assert player.get_attribute("src") is None  # opening the page loaded nothing
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "el => el.getAttribute('src') && el.dataset.ready === '1'",
        arg=player.element_handle(),
        timeout=60_000,  # a rendition may still be being made
    )
    return player


def zh(message: str) -> str:
    """What the Chinese interface shows for ``message``: its translation once the
    catalogue has one, the English text until then."""
    with translation.override("zh-hans"):
        translated = translation.gettext(message)
    if translated != message:
        assert CJK.search(translated), f"zh-hans translation of {message!r} has no Chinese"
    return translated


def en(message: str) -> str:
    with translation.override("en"):
        return translation.gettext(message)


def label_zh(choice) -> str:
    """The Chinese label of a ``TextChoices`` member."""
    with translation.override("zh-hans"):
        return str(choice.label)


@pytest.fixture
def site(live_server, django_db_serialized_rollback) -> str:
    """The running site's base URL.

    ``live_server`` empties every table after each test; the serialized rollback
    puts back what the migrations seeded (causes, time limits, the holiday
    calendar) before each one, for these tests and for any that run later.
    """
    return live_server.url


@pytest.fixture(scope="session")
def _chromium() -> Iterator[tuple[object, asyncio.AbstractEventLoop]]:
    """One Chromium for the whole run (per xdist worker): launching takes a second.

    Between its calls Playwright's sync API leaves its event loop marked as
    running in this thread. Django then refuses ORM calls unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set, and keeps this thread's database
    connections in a context-local slot instead of the thread's own, where the
    test database setup and teardown (with its serialized rollback) would not
    find them. So the loop is only marked running while a browser test runs;
    Playwright itself marks it so again after each call.
    """
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        loop = asyncio.get_running_loop()
        asyncio._set_running_loop(None)
        try:
            yield chromium, loop
        finally:
            asyncio._set_running_loop(loop)
            chromium.close()


@pytest.fixture
def browser(site, monkeypatch, _chromium) -> Iterator[object]:
    """Chromium, between the test database's setup and its teardown."""
    chromium, loop = _chromium
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    asyncio._set_running_loop(loop)
    try:
        yield chromium
    finally:
        # Connections the test opened while the loop ran sit in the context-local
        # slot; close them (PostgreSQL would keep them open), then hide the loop.
        connections.close_all()
        asyncio._set_running_loop(None)


# The demo bureau as built once in this process, by test database: its rows, serialized
# the way pytest-django's serialized rollback does, and the demo's people by name.
_DEMO_SNAPSHOTS: dict[str, tuple[str, dict[str, int]]] = {}


@pytest.fixture
def demo_users(site, monkeypatch) -> dict:
    """The demo bureau (``fullrecord demo``): its people, sections and cases at every
    stage. Its audiovisual records are left out: making the clips takes seconds
    and these journeys do not look at them. Nor are its written records' PDFs typeset
    (a fraction of a second each with the CJK font, dozens of them): an issued one is
    made on its first download, and a scan is a one-page stand-in.

    Building it takes half a minute; a dozen journeys use it. The first build in a test
    process is kept as rows and put back for the next journeys (a few seconds): every
    journey still starts from the same bureau, as the live server empties the database
    after each one. The evidence store of the process keeps the stand-in scans.
    """
    from fullrecord.core import demo, demo_media
    from fullrecord.documents import demo as documents_demo

    monkeypatch.setattr(demo_media, "build", lambda users, cases: [])
    monkeypatch.setattr(documents_demo, "store_pdf", SimpleNamespace(enqueue=lambda pk: None))
    monkeypatch.setattr(
        documents_demo, "file_approval_sheet", SimpleNamespace(enqueue=lambda *args: None)
    )
    monkeypatch.setattr(documents_demo, "_pdf_scan", lambda title, case: SCAN_STAND_IN)
    from fullrecord.accounts.models import User

    connection = connections["default"]
    snapshot = _DEMO_SNAPSHOTS.get(connection.settings_dict["NAME"])
    if snapshot is not None:
        rows, people = snapshot
        connection.creation.deserialize_db_from_string(rows)
        by_pk = User.objects.in_bulk(people.values())
        return {name: by_pk[pk] for name, pk in people.items()}
    users = demo.build()
    _DEMO_SNAPSHOTS[connection.settings_dict["NAME"]] = (
        connection.creation.serialize_db_to_string(),
        {name: user.pk for name, user in users.items()},
    )
    return users


def new_page(browser, site: str, viewport: dict[str, int]):
    """A page in a fresh context, as a browser in China opens it.

    Returns the page and the list it collects script errors, CSP violations and
    failed loads into.
    """
    context = browser.new_context(
        base_url=site,
        viewport=viewport,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return page, errors


@pytest.fixture
def page(browser, site):
    """A desktop-sized page; the test fails on any script error or CSP violation."""
    page, errors = new_page(browser, site, DESKTOP)
    yield page
    page.context.close()
    assert not errors, f"the browser reported errors: {errors}"


@pytest.fixture
def phone_page(browser, site):
    """A phone-sized page (390×844, an iPhone 12–15)."""
    page, errors = new_page(browser, site, PHONE)
    yield page
    page.context.close()
    assert not errors, f"the browser reported errors: {errors}"


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


def snapshot(page, name: str) -> None:
    """Save a full-page screenshot to $FULLRECORD_SCREENSHOTS, when set, for a human to look at."""
    folder = os.environ.get("FULLRECORD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
