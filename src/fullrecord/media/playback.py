"""Playback grants: every byte of an original or a file made from it is covered by an entry.

The rule (docs/access.md, "Reads of originals and derived files"):

- Bytes leave only under a :class:`~fullrecord.media.models.PlaybackGrant` for that
  user and item, and a grant is made in the same transaction as its audit entry
  (``media.play`` for the original, its playable copy or a watermarked rendition;
  ``media.read`` for the poster), with the access request's number when the
  item is reached through one. One entry per playback, not one per range.
- The player asks for a grant when playback starts (``POST /api/media/<id>/playback``)
  and gets a short signed URL (:func:`signed_url`). Each range asked through it is
  checked by :func:`live_grant` — one indexed query — against the session row or API
  token that started it, the user's state and the access request, so sign-out,
  deactivation and revocation stop it at the next range, in every process.
- ``/api/media/<id>/content``, ``…/proxy`` and ``…/poster`` go through Django's whole
  stack; before any answer that carries bytes they find the caller's live
  grant for that credential or make one (:func:`cover`), so an API client's ranges are
  covered by one entry per grant too.
- Someone who reaches an item only through an access request never gets the original's
  bytes nor the unwatermarked playable copy or poster: they play a rendition with their
  name, 执法证号 and the request's number burned in, which the access app makes.
- The one exception: list thumbnails (at most 320 px wide) go to whoever sees the
  record and are not recorded per image (docs/access.md, rule 7).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django_tasks import task
from knox.crypto import hash_token
from knox.models import AuthToken

from fullrecord.accounts.lockout import account_lock_condition, username_key

from .choices import PlaybackSource
from .models import Derivative, MediaItem, PlaybackGrant

SIGNING_SALT = "fullrecord.media.playback"


@dataclass(frozen=True)
class Credential:
    """What authenticated a request, as digests: a session key's or an API token's."""

    session_hash: str = ""
    token_hash: str = ""

    @property
    def usable(self) -> bool:
        return bool(self.session_hash or self.token_hash)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def credential_of(request) -> Credential:
    """The credential a DRF request was authenticated by: its API token, else its session.
    A forced authentication (tests) has neither, and its grants serve no signed URL."""
    from rest_framework.authentication import SessionAuthentication

    if isinstance(request.auth, AuthToken):  # knox keeps only the token's digest
        return Credential(token_hash=request.auth.digest)
    key = request._request.session.session_key
    if key and isinstance(request.successful_authenticator, SessionAuthentication):
        return Credential(session_hash=digest(key))
    return Credential()


# --- who gets which file


class RenditionPending(Exception):
    """The watermarked rendition is being made; ask again in a moment."""


class RenditionFailed(Exception):
    """The watermarked rendition could not be made."""


class NotPlayable(Exception):
    """Nothing of this item plays in a browser."""


@dataclass(frozen=True)
class Rendition:
    path: Path
    content_type: str
    access_request_id: int


RenditionProvider = Callable[[object, MediaItem], Rendition]
# Filled by the access app (it makes the watermarked renditions with its copy pipeline):
# ``provider(user, item)`` returns a ready rendition or raises RenditionPending/Failed.
_rendition_provider: list[RenditionProvider] = []


def register_rendition_provider(provider: RenditionProvider) -> None:
    _rendition_provider[:] = [provider]


def rendition_state(user, item: MediaItem) -> str:
    """The rendition's state for the record's page ("ready", "preparing" or "failed");
    asking starts its making."""
    if not _rendition_provider:
        return "failed"
    try:
        _rendition_provider[0](user, item)
    except RenditionPending:
        return "preparing"
    except RenditionFailed:
        return "failed"
    return "ready"


def playback_source(item: MediaItem) -> str | None:
    """What the browser plays for someone in their own reach: the original when analysis
    found it playable, else the playable copy, else nothing."""
    if item.status == "ready" and item.kind in ("video", "audio"):
        return PlaybackSource.ORIGINAL
    if item.kind in ("video", "audio") and item.status == "proxy":
        return PlaybackSource.PROXY
    return None


# --- making grants (each with its audit entry, in one transaction)


def _expiry(item: MediaItem, now: datetime) -> datetime:
    """Long enough to play the item through twice, and at least the configured time."""
    seconds = settings.FULLRECORD_PLAYBACK_SECONDS
    if item.duration:
        seconds = max(seconds, int(item.duration * 2) + 60)
    return now + timedelta(seconds=seconds)


@transaction.atomic
def start(
    user,
    item: MediaItem,
    *,
    source: str,
    credential: Credential,
    derivative: Derivative | None = None,
    rendition: Rendition | None = None,
    via=None,
    detail: dict | None = None,
) -> PlaybackGrant:
    """A new grant with its entry: one playback (or read of the stills) begins."""
    from .services import record_access

    action = "read" if source == PlaybackSource.STILLS else "play"
    now = timezone.now()
    grant = PlaybackGrant(
        user=user,
        item=item,
        source=source,
        derivative=derivative,
        session_hash=credential.session_hash,
        token_hash=credential.token_hash,
        lock_key=username_key(None, {"username": user.get_username()}),
        access_request_id=getattr(via, "pk", None),
        created_at=now,
        expires_at=_expiry(item, now),
    )
    if rendition is not None:
        grant.rendition_path = str(rendition.path.relative_to(settings.DATA_DIR))
        grant.rendition_type = rendition.content_type
        grant.access_request_id = rendition.access_request_id
    grant.entry = record_access(
        item,
        actor=user,
        action=action,
        data={"source": source, "ends": grant.expires_at.isoformat(), **(detail or {})},
    )
    grant.save()
    return grant


def cover(user, item: MediaItem, *, source: str, credential: Credential, **kwargs) -> PlaybackGrant:
    """The caller's live grant for this item, source and credential, or a new one (with
    its entry). Called before every answer of the full-stack endpoints that carries bytes:
    ranges of one playback share one entry."""
    found = (
        PlaybackGrant.objects.filter(
            user=user,
            item=item,
            source=source,
            expires_at__gt=timezone.now(),
            session_hash=credential.session_hash,
            token_hash=credential.token_hash,
        )
        .order_by("-expires_at")
        .first()
    )
    return found or start(user, item, source=source, credential=credential, **kwargs)


def begin(user, item: MediaItem, *, credential: Credential, via=None) -> PlaybackGrant:
    """A playback starts (the player's first play): what this user may play, granted.

    ``via`` is the access request through which alone the user sees the item: then the
    watermarked rendition the access app makes, never the original or its plain copy.
    """
    from . import content

    if via is not None:
        if not _rendition_provider:
            raise RenditionFailed(_("Watermarked renditions are not available."))
        rendition = _rendition_provider[0](user, item)
        return start(
            user,
            item,
            source=PlaybackSource.RENDITION,
            credential=credential,
            rendition=rendition,
            via=via,
        )
    source = playback_source(item)
    if source is None:
        raise NotPlayable
    if source == PlaybackSource.ORIGINAL:
        from .fixity import require_original

        require_original(item, actor=user)  # a lost original: 410, recorded, no grant
    derivative = content.derivative_of(item, "proxy") if source == PlaybackSource.PROXY else None
    return start(user, item, source=source, credential=credential, derivative=derivative)


# --- signed URLs


def _signature(grant_id: int, expires: int) -> str:
    # salted_hmac derives its key from SECRET_KEY and the salt: this key signs nothing else.
    return salted_hmac(SIGNING_SALT, f"{grant_id}:{expires}", algorithm="sha256").hexdigest()


def signed_url(grant: PlaybackGrant) -> str:
    expires = int(grant.expires_at.timestamp())
    return reverse(
        "playback",
        kwargs={
            "grant_id": grant.pk,
            "expires": expires,
            "signature": _signature(grant.pk, expires),
        },
    )


def signature_valid(grant_id: int, expires: int, signature: str, now: float) -> bool:
    return expires > now and constant_time_compare(signature, _signature(grant_id, expires))


# --- is a grant still live? (the one check every signed range goes through)


@dataclass(frozen=True)
class LiveCondition:
    """A further SQL condition on the grant row (aliased ``g``) and the time ``now``.

    Registered by apps above media: the access app adds "the access request the grant
    was made under is still approved and unexpired". ``params(now)`` gives the values
    of the ``%s`` in ``sql``, in order.
    """

    sql: str
    params: Callable[[datetime], list]


LIVE_CONDITIONS: list[LiveCondition] = []


def register_live_condition(condition: LiveCondition) -> None:
    if condition not in LIVE_CONDITIONS:
        LIVE_CONDITIONS.append(condition)


@dataclass(frozen=True)
class LiveGrant:
    """What a live grant sends, read in the same query that found it live."""

    id: int
    source: str
    item_id: int
    sha256: str
    size: int
    content_type: str
    received_at: datetime
    derivative_id: int | None
    derivative_kind: str | None
    derivative_path: str | None
    derivative_type: str | None
    rendition_path: str
    rendition_type: str


def live_grant(
    grant_id: int, *, session_key: str | None, token_key: str | None, now: datetime | None = None
) -> LiveGrant | None:
    """The grant if it may still send bytes to this caller, else None. One query.

    Live means: not ended; started by the credential this request presents — the same
    session, its row still there and unexpired (sign-out deletes it), or the same API
    token, still there; the user active; and every registered condition (the access
    request in force). A session's user and password hash are then checked as Django's
    own authentication does, so a password change ends playback too.

    Hand-written SQL on primary keys only: every range of a playback comes here, and
    building the same query with the ORM cost several times the whole rest of the
    request (bench/README.md).
    """
    if not session_key and not token_key:
        return None
    now = now or timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    # Only table names (from the models) are put into the text; every value is a parameter.
    presented, params = [], [session_key or "", at]
    if session_key:
        presented.append(
            f"""(g.session_hash = %s AND EXISTS (SELECT 1 FROM {_SESSIONS} s
            WHERE s.session_key = %s AND s.expire_date > %s))"""  # noqa: S608
        )
        params += [digest(session_key), session_key, at]
    if token_key:
        # A lock ends the account's sessions (the session path needs no check) but only
        # stops its tokens while it lasts: a token-started playback asks, as knox's does.
        locked, locked_params = account_lock_condition("g.lock_key", now)
        locked_params = [
            connection.ops.adapt_datetimefield_value(v) if isinstance(v, datetime) else v
            for v in locked_params
        ]
        presented.append(
            f"""(g.token_hash = %s AND EXISTS (SELECT 1 FROM {_TOKENS} t
            WHERE t.digest = g.token_hash AND t.user_id = g.user_id
            AND (t.expiry IS NULL OR t.expiry > %s)) AND NOT {locked})"""  # noqa: S608
        )
        params += [hash_token(token_key), at, *locked_params]
    params += [grant_id, at, True]
    conditions = ""
    for condition in LIVE_CONDITIONS:
        conditions += f" AND ({condition.sql})"
        params += condition.params(now)
    sql = f"""SELECT g.id, g.source, g.rendition_path, g.rendition_type, g.session_hash,
        i.id, i.sha256, i.size, i.content_type, i.received_at,
        d.id, d.kind, d.path, d.content_type, u.id, u.password,
        (SELECT s.session_data FROM {_SESSIONS} s WHERE s.session_key = %s AND s.expire_date > %s)
        FROM {_GRANTS} g JOIN {_USERS} u ON u.id = g.user_id JOIN {_ITEMS} i ON i.id = g.item_id
        LEFT JOIN {_DERIVATIVES} d ON d.id = g.derivative_id
        WHERE ({" OR ".join(presented)}) AND g.id = %s AND g.expires_at > %s
        AND u.is_active = %s{conditions}"""  # noqa: S608 - table names from the models only
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    (gid, source, rendition_path, rendition_type, session_hash) = row[:5]
    (item_id, sha256, size, content_type, received_at) = row[5:10]
    (derivative_id, kind, path, derivative_type, user_id, password, session_data) = row[10:]
    if session_key and session_hash == digest(session_key):
        user = get_user_model()(pk=user_id, password=password)
        if not _session_signs_in(session_data, user):
            return None
    if isinstance(received_at, str):  # SQLite without converters
        received_at = datetime.fromisoformat(received_at)
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at, UTC)
    return LiveGrant(
        gid,
        source,
        item_id,
        sha256,
        size,
        content_type,
        received_at,
        derivative_id,
        kind,
        path,
        derivative_type,
        rendition_path,
        rendition_type,
    )


_GRANTS = PlaybackGrant._meta.db_table
_ITEMS = MediaItem._meta.db_table
_DERIVATIVES = Derivative._meta.db_table
_SESSIONS = Session._meta.db_table
_TOKENS = AuthToken._meta.db_table
_USERS = get_user_model()._meta.db_table


def _session_signs_in(data: str | None, user) -> bool:
    """Whether this session's data still authenticates ``user`` (as auth.get_user checks)."""
    if data is None:
        return False
    decoded = SessionStore().decode(data)
    if str(decoded.get(SESSION_KEY)) != str(user.pk):
        return False
    stored = decoded.get(HASH_SESSION_KEY) or ""
    if constant_time_compare(stored, user.get_session_auth_hash()):
        return True
    return any(
        constant_time_compare(stored, user._get_session_auth_hash(secret=secret))
        for secret in settings.SECRET_KEY_FALLBACKS
    )


def grant_source(grant: LiveGrant):
    """What a live grant sends, opened (through the one place each kind of file is opened)."""
    from django.http import Http404

    from . import content

    if grant.source == PlaybackSource.ORIGINAL:
        return content.open_stored(grant.sha256, grant.size, grant.content_type, grant.received_at)
    if grant.source == PlaybackSource.PROXY and grant.derivative_id is not None:
        item = MediaItem(pk=grant.item_id, sha256=grant.sha256)
        derivative = Derivative(
            pk=grant.derivative_id,
            item=item,
            kind=grant.derivative_kind,
            path=grant.derivative_path,
            content_type=grant.derivative_type,
        )
        return content.open_derived(derivative)
    if grant.source == PlaybackSource.RENDITION and grant.rendition_path:
        return content.open_file(
            Path(settings.DATA_DIR) / grant.rendition_path,
            grant.rendition_type,
            f'"{grant.sha256}-rendition-{grant.id}"',
        )
    raise Http404


def refusal_for_request_holders() -> str:
    return _(
        "You see this record through an access request: it plays as a copy "
        "watermarked with your name and the request's number, not as the original."
    )


@task()
def forget_expired_grants() -> int:
    """Drop grants that ended a day ago; their audit entries stay."""
    cutoff = timezone.now() - timedelta(days=1)
    deleted, _rows = PlaybackGrant.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
