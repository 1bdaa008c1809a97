"""Every answer that carries bytes of an original or a derived file is covered by an entry.

Written as the requests an attacker sends to the full-stack endpoints
(``/api/media/<id>/content``, ``…/proxy``, ``…/poster``, ``…/thumbnail``), in every
Range form RFC 9110 allows: each is refused, or a ``media.play`` (``media.read`` for
stills) entry of that user on that item exists and covers it — one per playback.
"""

from __future__ import annotations

import os

import pytest

from fullrecord.access import services as access_services
from fullrecord.accounts.services import issue_api_token
from fullrecord.audit.models import AuditEntry
from fullrecord.media import derived
from fullrecord.media.models import Derivative, MediaItem, PlaybackGrant

from .evidence import ingest_bytes
from .playing import RANGE_FORMS, Caller, covered, plays, with_etag

DATA = os.urandom(100_000)


@pytest.fixture
def item(bureau):
    item = ingest_bytes(bureau.officer, DATA, "clip.mp4").item
    MediaItem.objects.filter(pk=item.pk).update(
        kind="video", status="ready", content_type="video/mp4"
    )
    item.refresh_from_db()
    return item


@pytest.fixture
def requested(bureau, item):
    """The other section's officer sees the item only through an approved request."""
    request = access_services.file_request(
        requester=bureau.other_officer, reason="复议答辩", items=[item]
    )
    return access_services.decide(request, actor=bureau.leader, approve=True)


def caller(bureau, who: str) -> Caller:
    if who == "officer by session":
        return Caller(bureau.officer)
    if who == "officer by token":
        return Caller(bureau.officer, session=False, token=issue_api_token(bureau.officer))
    if who == "officer by session, with a proxy's Basic header":
        return Caller(bureau.officer, extra={"HTTP_AUTHORIZATION": "Basic cHJveHk6cHJveHk="})
    if who == "anonymous, with the same Basic header":
        return Caller(None, extra={"HTTP_AUTHORIZATION": "Basic cHJveHk6cHJveHk="})
    if who == "another section's officer":
        return Caller(bureau.other_officer)
    raise AssertionError(who)


OWNERS = [
    "officer by session",
    "officer by token",
    "officer by session, with a proxy's Basic header",
]
OUTSIDERS = {
    "anonymous, with the same Basic header": (401, 403),
    "another section's officer": (404,),
}


@pytest.mark.parametrize("form", RANGE_FORMS)
@pytest.mark.parametrize("who", OWNERS + list(OUTSIDERS))
def test_each_range_form_on_the_original_is_refused_or_covered(bureau, item, who, form):
    attacker = caller(bureau, who)
    headers = with_etag(RANGE_FORMS[form], f'"{item.sha256}"')

    answer = attacker.get(f"/api/media/{item.pk}/content", **headers)

    if who in OUTSIDERS:
        assert answer.status in OUTSIDERS[who] and DATA[:64] not in answer.body
        assert not AuditEntry.objects.filter(action="media.play").exists()
        return
    if form == "unsatisfiable":
        assert answer.status == 416 and answer.body == b""
        assert plays(bureau.officer, item) == []
        return
    assert answer.carries_bytes
    assert len(plays(bureau.officer, item)) == 1
    assert covered(bureau.officer, item)
    if answer.status == 200:
        assert answer.body == DATA
    elif not answer.headers["Content-Type"].startswith("multipart/"):
        first, last = answer.headers["Content-Range"].split()[1].split("/")[0].split("-")
        assert answer.body == DATA[int(first) : int(last) + 1]


def test_a_head_carries_no_bytes_and_the_range_after_it_is_covered(bureau, item):
    officer = caller(bureau, "officer by session")
    head = officer.get(f"/api/media/{item.pk}/content", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert plays(bureau.officer, item) == []

    answer = officer.get(f"/api/media/{item.pk}/content", HTTP_RANGE="bytes=1-")
    assert answer.status == 206 and answer.body == DATA[1:]
    assert len(plays(bureau.officer, item)) == 1


def test_one_playback_is_one_entry_however_many_ranges(bureau, item):
    officer = caller(bureau, "officer by session")
    for headers in RANGE_FORMS.values():
        officer.get(f"/api/media/{item.pk}/content", **with_etag(headers, f'"{item.sha256}"'))
    assert len(plays(bureau.officer, item)) == 1


def test_a_token_and_a_session_are_separate_playbacks(bureau, item):
    """What authenticated the request is part of the playback: a token cannot ride on the
    entry of a session (or the other way round)."""
    caller(bureau, "officer by session").get(f"/api/media/{item.pk}/content")
    caller(bureau, "officer by token").get(f"/api/media/{item.pk}/content")
    assert len(plays(bureau.officer, item)) == 2
    grants = PlaybackGrant.objects.filter(user=bureau.officer, item=item)
    assert {bool(g.session_hash) for g in grants} == {True, False}
    assert {bool(g.token_hash) for g in grants} == {True, False}


@pytest.mark.parametrize("form", RANGE_FORMS)
def test_someone_who_sees_it_through_a_request_never_gets_the_original(
    bureau, item, requested, form
):
    requester = Caller(bureau.other_officer)
    assert requester.get(f"/api/media/{item.pk}/").status == 200  # they do see the record
    answer = requester.get(
        f"/api/media/{item.pk}/content", **with_etag(RANGE_FORMS[form], f'"{item.sha256}"')
    )
    assert answer.status == 403 and DATA[:64] not in answer.body
    assert plays(bureau.other_officer, item) == []


# --- derived files: the playable copy, the poster and the thumbnail


def derive(item, kind: str, data: bytes, content_type: str) -> Derivative:
    path, relative = derived.path_for(item, kind, "bin")
    path.write_bytes(data)
    return Derivative.objects.create(
        item=item, kind=kind, path=relative, content_type=content_type, size=len(data)
    )


PROXY = os.urandom(50_000)


@pytest.fixture
def proxied(item):
    MediaItem.objects.filter(pk=item.pk).update(status="proxy")
    derive(item, "proxy", PROXY, "video/mp4")
    derive(item, "poster", b"poster-bytes" * 100, "image/jpeg")
    derive(item, "thumbnail", b"thumb-bytes" * 50, "image/jpeg")
    item.refresh_from_db()
    return item


@pytest.mark.parametrize("form", RANGE_FORMS)
def test_each_range_form_of_the_playable_copy_is_covered(bureau, proxied, form):
    officer = caller(bureau, "officer by session")
    derivative = Derivative.objects.get(item=proxied, kind="proxy")
    etag = f'"{proxied.sha256}-proxy-{derivative.pk}"'
    answer = officer.get(f"/api/media/{proxied.pk}/proxy", **with_etag(RANGE_FORMS[form], etag))
    if form == "unsatisfiable":
        assert answer.status == 416 and plays(bureau.officer, proxied) == []
        return
    assert answer.carries_bytes
    entries = plays(bureau.officer, proxied)
    assert len(entries) == 1 and entries[0].data["source"] == "proxy"
    assert PlaybackGrant.objects.get(entry=entries[0]).derivative == derivative


@pytest.mark.parametrize("form", ["no Range", "bytes=1-", "multipart bytes=0-0,1-"])
def test_the_poster_is_recorded_as_a_read_once_per_grant(bureau, proxied, form):
    officer = caller(bureau, "officer by session")
    for _ in range(3):
        answer = officer.get(f"/api/media/{proxied.pk}/poster", **RANGE_FORMS[form])
        assert answer.carries_bytes
    reads = AuditEntry.objects.filter(action="media.read", actor=bureau.officer)
    assert reads.count() == 1 and reads.get().data["source"] == "stills"
    assert covered(bureau.officer, proxied, action="media.read")


def test_the_thumbnail_goes_only_to_who_sees_the_record_and_is_not_recorded(bureau, proxied):
    """The documented exception (docs/access.md): list thumbnails, 320 px wide."""
    assert caller(bureau, "officer by session").get(f"/api/media/{proxied.pk}/thumbnail").body
    for outsider, statuses in OUTSIDERS.items():
        answer = caller(bureau, outsider).get(f"/api/media/{proxied.pk}/thumbnail")
        assert answer.status in statuses and b"thumb-bytes" not in answer.body
    assert not AuditEntry.objects.filter(action__in=["media.read", "media.play"]).exists()


def test_a_request_holder_gets_neither_the_plain_copy_nor_the_poster(bureau, proxied, requested):
    requester = Caller(bureau.other_officer)
    for kind in ("proxy", "poster"):
        answer = requester.get(f"/api/media/{proxied.pk}/{kind}", HTTP_RANGE="bytes=0-")
        assert answer.status == 403 and PROXY[:64] not in answer.body
    # The 320-pixel thumbnail of the lists is theirs to see, as it is to everyone who
    # sees the record.
    assert requester.get(f"/api/media/{proxied.pk}/thumbnail").status == 200
    assert not AuditEntry.objects.filter(action__in=["media.read", "media.play"]).exists()
