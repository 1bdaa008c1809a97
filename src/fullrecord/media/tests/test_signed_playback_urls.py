"""The signed playback URL: one entry when playback starts, then each range checked anew.

Each request is sent through both doors: the production WSGI application, where the
signed URL is answered before Django's middleware, and Django's URL routing.
"""

from __future__ import annotations

import os
from datetime import timedelta
from wsgiref.util import FileWrapper

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.utils import timezone

from fullrecord.accounts.services import issue_api_token, revoke_api_tokens
from fullrecord.audit.models import AuditEntry
from fullrecord.media.models import MediaItem, PlaybackGrant

from .evidence import ingest_bytes
from .playing import RANGE_FORMS, Caller, keeping_the_test_transaction, plays, with_etag

DATA = os.urandom(120_000)
DOORS = ["wsgi", "django"]
BASIC = {"HTTP_AUTHORIZATION": "Basic cHJveHk6cHJveHk="}  # what a proxy in front may add


@pytest.fixture
def item(bureau):
    item = ingest_bytes(bureau.officer, DATA, "clip.mp4").item
    MediaItem.objects.filter(pk=item.pk).update(
        kind="video", status="ready", content_type="video/mp4", duration=3.0
    )
    item.refresh_from_db()
    return item


def started(player: Caller, item) -> str:
    status, answer = player.start(item)
    assert status == 201, answer
    assert answer["url"].startswith("http://testserver/playback/")
    return answer["url"].removeprefix("http://testserver")


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("form", RANGE_FORMS)
def test_each_range_form_through_the_signed_url_is_covered_by_the_one_play_entry(
    bureau, item, door, form
):
    player = Caller(bureau.officer)
    url = started(player, item)
    entry = AuditEntry.objects.get(action="media.play")
    assert entry.actor == bureau.officer and entry.object_id == str(item.pk)

    answer = player.get(url, door=door, **with_etag(RANGE_FORMS[form], f'"{item.sha256}"'))

    if form == "unsatisfiable":
        assert answer.status == 416 and answer.body == b""
    else:
        assert answer.carries_bytes
        if answer.status == 200:
            assert answer.body == DATA
        elif "Content-Range" in answer.headers:
            first, last = answer.headers["Content-Range"].split()[1].split("/")[0].split("-")
            assert answer.body == DATA[int(first) : int(last) + 1]
    assert plays(bureau.officer, item) == [entry]  # the ranges make no further entries
    assert PlaybackGrant.objects.get().entry == entry


@pytest.mark.parametrize("door", DOORS)
def test_a_head_then_a_range_through_the_signed_url(bureau, item, door):
    player = Caller(bureau.officer)
    url = started(player, item)
    head = player.get(url, method="HEAD", door=door)
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Length"] == str(len(DATA))
    answer = player.get(url, door=door, HTTP_RANGE="bytes=1-")
    assert answer.status == 206 and answer.body == DATA[1:]
    assert len(plays(bureau.officer, item)) == 1


@pytest.mark.parametrize("door", DOORS)
def test_opening_the_page_is_a_view_and_starting_playback_is_one_play(bureau, item, door):
    player = Caller(bureau.officer)
    page = player.client.get(item.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'preload="none"' in html and f"/api/media/{item.pk}/content" not in html
    assert AuditEntry.objects.filter(action="media.view").count() == 1
    assert plays(bureau.officer, item) == []

    url = started(player, item)
    for start in range(0, len(DATA), 30_000):
        player.get(url, door=door, HTTP_RANGE=f"bytes={start}-{start + 29_999}")
    assert len(plays(bureau.officer, item)) == 1


# --- bound to the person and the session


@pytest.mark.parametrize("door", DOORS)
def test_the_url_is_useless_to_another_user(bureau, item, door):
    url = started(Caller(bureau.officer), item)
    for other in (bureau.officer2, bureau.head, bureau.leader):
        answer = Caller(other).get(url, door=door, HTTP_RANGE="bytes=0-")
        assert answer.status == 404 and DATA[:64] not in answer.body


@pytest.mark.parametrize("door", DOORS)
def test_the_url_is_useless_to_another_session_of_the_same_user(bureau, item, door):
    url = started(Caller(bureau.officer), item)
    answer = Caller(bureau.officer).get(url, door=door, HTTP_RANGE="bytes=0-")
    assert answer.status == 404


@pytest.mark.parametrize("door", DOORS)
def test_a_proxys_basic_header_lets_no_anonymous_client_read(bureau, item, door):
    """The finding: a session-authenticated play with an extra ``Authorization: Basic``
    header, then an anonymous client sending the same header."""
    player = Caller(bureau.officer, extra=BASIC)
    url = started(player, item)
    assert player.get(url, door=door, HTTP_RANGE="bytes=100-199").status == 206

    anonymous = Caller(None, extra=BASIC)
    for headers in ({"HTTP_RANGE": "bytes=100-199"}, {"HTTP_RANGE": "bytes=0-"}, {}):
        assert anonymous.get(url, door=door, **headers).status == 404
        content = anonymous.get(f"/api/media/{item.pk}/content", door=door, **headers)
        assert content.status in (401, 403) and DATA[100:200] not in content.body


@pytest.mark.parametrize("door", DOORS)
def test_after_sign_out_the_next_range_is_refused(bureau, item, door):
    player = Caller(bureau.officer)
    url = started(player, item)
    cookie = player.client.cookies["sessionid"].value
    assert player.get(url, door=door, HTTP_RANGE="bytes=0-9").status == 206

    player.client.post("/accounts/logout/")

    player.client.cookies["sessionid"] = cookie  # a copy of the old cookie, replayed
    assert player.get(url, door=door, HTTP_RANGE="bytes=10-19").status == 404


@pytest.mark.parametrize("door", DOORS)
def test_after_deactivation_the_next_range_is_refused(bureau, item, door):
    player = Caller(bureau.officer)
    url = started(player, item)
    assert player.get(url, door=door, HTTP_RANGE="bytes=0-9").status == 206
    bureau.officer.is_active = False
    bureau.officer.save(update_fields=["is_active"])
    assert player.get(url, door=door, HTTP_RANGE="bytes=10-19").status == 404


@pytest.mark.parametrize("door", DOORS)
def test_after_a_password_change_the_next_range_is_refused(bureau, item, door):
    player = Caller(bureau.officer)
    url = started(player, item)
    bureau.officer.set_password("a whole new secret 42")
    bureau.officer.save()
    assert player.get(url, door=door, HTTP_RANGE="bytes=10-19").status == 404


@pytest.mark.parametrize("door", DOORS)
def test_the_url_ends_with_its_grant(bureau, item, door, settings):
    settings.FULLRECORD_PLAYBACK_SECONDS = 600
    player = Caller(bureau.officer)
    url = started(player, item)
    grant = PlaybackGrant.objects.get()
    assert grant.expires_at - grant.created_at == timedelta(seconds=600)
    with time_machine.travel(grant.expires_at - timedelta(seconds=5), tick=False):
        assert player.get(url, door=door, HTTP_RANGE="bytes=0-9").status == 206
    with time_machine.travel(grant.expires_at + timedelta(seconds=1), tick=False):
        assert player.get(url, door=door, HTTP_RANGE="bytes=0-9").status == 404


def test_a_long_recording_gets_time_to_play_through(bureau, item, settings):
    settings.FULLRECORD_PLAYBACK_SECONDS = 600
    MediaItem.objects.filter(pk=item.pk).update(duration=7200.0)
    item.refresh_from_db()
    started(Caller(bureau.officer), item)
    grant = PlaybackGrant.objects.get()
    assert grant.expires_at - grant.created_at >= timedelta(hours=4)


# --- the signature


def tampered(url: str) -> list[str]:
    _, prefix, grant, expires, signature = url.rstrip("/").split("/")
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    return [
        f"/{prefix}/{grant}/{expires}/{flipped}",  # another signature
        f"/{prefix}/{grant}/{int(expires) + 86400}/{signature}",  # a later expiry
        f"/{prefix}/{int(grant) + 1}/{expires}/{signature}",  # another grant
        f"/{prefix}/{grant}/{expires}/{signature[:-2]}",  # a short one
    ]


@pytest.mark.parametrize("door", DOORS)
def test_a_tampered_url_gets_the_same_404_as_a_missing_grant(bureau, item, door):
    player = Caller(bureau.officer)
    url = started(player, item)
    missing = player.get(
        f"/playback/999999/{int(timezone.now().timestamp()) + 60}/{'0' * 64}", door=door
    )
    assert missing.status == 404
    for wrong in tampered(url):
        answer = player.get(wrong, door=door, HTTP_RANGE="bytes=0-")
        assert (answer.status, answer.body) == (missing.status, missing.body), wrong


# --- API clients with a token


@pytest.mark.parametrize("door", DOORS)
def test_a_token_started_playback_needs_that_token(bureau, item, door):
    token = issue_api_token(bureau.officer)
    client = Caller(bureau.officer, session=False, token=token)
    url = started(client, item)
    assert client.get(url, door=door, HTTP_RANGE="bytes=0-9").body == DATA[:10]
    assert Caller(bureau.officer).get(url, door=door).status == 404  # a session is not it
    assert Caller(None).get(url, door=door).status == 404
    revoke_api_tokens(bureau.officer)
    assert client.get(url, door=door, HTTP_RANGE="bytes=0-9").status == 404


@pytest.mark.parametrize("door", DOORS)
def test_a_token_started_playback_stops_while_its_owner_is_locked(bureau, item, door):
    token = issue_api_token(bureau.officer)
    client = Caller(bureau.officer, session=False, token=token)
    url = started(client, item)
    assert client.get(url, door=door, HTTP_RANGE="bytes=0-9").status == 206
    attacker = Client(REMOTE_ADDR="10.66.0.1")
    for _ in range(5):  # the guesser's failures lock the account; its tokens stop meanwhile
        attacker.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    assert client.get(url, door=door, HTTP_RANGE="bytes=0-9").status == 404


def test_starting_playback_needs_csrf_with_a_session(bureau, item):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bureau.officer)
    assert client.post(f"/api/media/{item.pk}/playback").status_code == 403
    assert not PlaybackGrant.objects.exists()


@pytest.mark.parametrize("persona", ["other_officer", "outsider_leader", "nobody", "admin"])
def test_people_without_reach_start_nothing(bureau, item, persona):
    status, _answer = Caller(getattr(bureau, persona)).start(item)
    assert status == 404
    assert not PlaybackGrant.objects.exists() and not plays(getattr(bureau, persona), item)


# --- the production door itself


def test_the_wsgi_door_sends_a_range_with_the_servers_sendfile_and_secure_headers(bureau, item):
    from fullrecord.wsgi import application

    player = Caller(bureau.officer)
    url = started(player, item)
    cookie = player.client.cookies.output(header="", sep=";").strip()
    environ = RequestFactory().get(url, HTTP_RANGE="bytes=10-19", HTTP_COOKIE=cookie).environ
    environ["wsgi.file_wrapper"] = FileWrapper
    seen = {}
    with keeping_the_test_transaction():
        result = application(environ, lambda s, h: seen.update(s=s, h=dict(h)))
        try:
            assert isinstance(result, FileWrapper)  # gunicorn's wrapper sends it with sendfile
            assert b"".join(result) == DATA[10:20]
        finally:
            result.close()
    assert seen["s"] == "206 Partial Content"
    assert "default-src 'self'" in seen["h"]["Content-Security-Policy"]
    assert seen["h"]["X-Content-Type-Options"] == "nosniff"
    assert seen["h"]["Cache-Control"] == "private, no-transform"


def test_expired_grants_are_forgotten_but_their_entries_stay(bureau, item):
    from fullrecord.media.playback import forget_expired_grants

    started(Caller(bureau.officer), item)
    PlaybackGrant.objects.update(expires_at=timezone.now() - timedelta(days=2))
    forget_expired_grants.call()
    assert not PlaybackGrant.objects.exists()
    assert len(plays(bureau.officer, item)) == 1


@pytest.mark.parametrize("door", DOORS)
def test_an_original_the_browser_cannot_play_plays_as_its_copy(bureau, item, door):
    from fullrecord.media import derived
    from fullrecord.media.models import Derivative

    copy = os.urandom(40_000)
    path, relative = derived.path_for(item, "proxy", "mp4")
    path.write_bytes(copy)
    Derivative.objects.create(
        item=item, kind="proxy", path=relative, content_type="video/mp4", size=len(copy)
    )
    MediaItem.objects.filter(pk=item.pk).update(status="proxy")
    player = Caller(bureau.officer)
    url = started(player, item)
    assert PlaybackGrant.objects.get().source == "proxy"
    answer = player.get(url, door=door, HTTP_RANGE="bytes=1000-1999")
    assert answer.status == 206 and answer.body == copy[1000:2000]
    assert answer.headers["Content-Type"] == "video/mp4"
    assert DATA[1000:2000] != answer.body and len(plays(bureau.officer, item)) == 1
