"""Playback grants: every byte of an original or a file made from it is covered by an entry.

The rule (docs/access.md, "Reads of originals and derived files"):

- Bytes leave only under a :class:`~fullrecord.media.models.PlaybackGrant` for that
  user and item, and a grant is made in the same transaction as its audit entry
  (``media.play`` for the original, its playable copy or a watermarked rendition;
  ``media.read`` for posters and thumbnails), with the access request's number when the
  item is reached through one. One entry per playback, not one per range.
- The player asks for a grant when playback starts (``POST /api/media/<id>/playback``)
  and gets a short signed URL (:func:`signed_url`). Each range asked through it is
  checked by :func:`live_grant` — one indexed query — against the session row or API
  token that started it, the user's state and the access request, so sign-out,
  deactivation and revocation stop it at the next range, in every process.
- ``/api/media/<id>/content``, ``…/proxy``, ``…/poster`` and ``…/thumbnail`` go through
  Django's whole stack; before any answer that carries bytes they find the caller's live
  grant for that credential or make one (:func:`cover`), so an API client's ranges are
  covered by one entry per grant too.
- Someone who reaches an item only through an access request never gets the original's
  bytes nor the unwatermarked playable copy or poster: they play a rendition with their
  name, 执法证号 and the request's number burned in, which the access app makes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django_tasks import task
from rest_framework.authtoken.models import Token

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

    if isinstance(request.auth, Token):
        return Credential(token_hash=digest(request.auth.key))
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
    """ "ready", "preparing" or "failed", for the record's page (which starts the making)."""
    if not _rendition_provider:
        return "failed"
    try:
        _rendition_provider[0](user, item)
    except RenditionPending:
        return "preparing"
    except RenditionFailed:
        return "failed"
    return "ready"


def through_request(user, item: MediaItem):
    """The access request through which alone ``user`` sees ``item``; None within their own
    reach. Cheap for the common case: the own-reach grounds are checked on the row."""
    from .access import _in_own_reach, reached_through

    if _in_own_reach(user, item):
        return None
    return reached_through(user, item)


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

LiveCondition = Callable[[datetime], Q]
# Further conditions a live grant must meet, registered by apps above media: the access
# app adds "its access request is still approved and unexpired".
LIVE_CONDITIONS: list[LiveCondition] = []


def register_live_condition(condition: LiveCondition) -> None:
    if condition not in LIVE_CONDITIONS:
        LIVE_CONDITIONS.append(condition)


def live_grant(
    grant_id: int, *, session_key: str | None, token_key: str | None, now: datetime | None = None
) -> PlaybackGrant | None:
    """The grant if it may still send bytes to this caller, else None. One query.

    Live means: not expired; started by the credential this request presents — its
    session row still there and unexpired (sign-out deletes it), or its API token still
    there; the user active; and every registered condition (the access request in
    force). A session's user and password hash are checked as Django's own
    authentication does, so a password change ends playback too.
    """
    if not session_key and not token_key:
        return None
    now = now or timezone.now()
    grants = PlaybackGrant.objects.select_related("user", "item", "derivative__item")
    presented = Q(pk__in=[])
    if session_key:
        sessions = Session.objects.filter(session_key=session_key, expire_date__gt=now)
        grants = grants.annotate(session_data=Subquery(sessions.values("session_data")[:1]))
        presented |= Q(session_hash=digest(session_key), session_data__isnull=False)
    if token_key:
        tokens = Token.objects.filter(key=token_key, user_id=OuterRef("user_id"))
        presented |= Q(token_hash=digest(token_key)) & Exists(tokens)
    grants = grants.filter(presented, pk=grant_id, expires_at__gt=now, user__is_active=True)
    for condition in LIVE_CONDITIONS:
        grants = grants.filter(condition(now))
    grant = grants.first()
    if grant is None:
        return None
    by_session = bool(session_key) and grant.session_hash == digest(session_key)
    if by_session and not _session_signs_in(grant.session_data, grant.user):
        return None
    return grant


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


def grant_source(grant: PlaybackGrant):
    """What a live grant sends, opened."""
    from . import content

    if grant.source == PlaybackSource.ORIGINAL:
        return content.open_original(grant.item)
    if grant.source == PlaybackSource.PROXY and grant.derivative is not None:
        return content.open_derived(grant.derivative)
    if grant.source == PlaybackSource.RENDITION and grant.rendition_path:
        return content.open_file(
            Path(settings.DATA_DIR) / grant.rendition_path,
            grant.rendition_type,
            f'"{grant.item.sha256}-rendition-{grant.pk}"',
        )
    from django.http import Http404

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
