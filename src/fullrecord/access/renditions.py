"""Watermarked renditions for people who see a record only through an access request.

Registered with media playback (``media/playback.py``) when the app loads: playback
asks for the rendition of a record, this makes it with the copy pipeline
(``copies.prepare_rendition``, ``watermark.py``) in the background and answers
"being prepared" until it is ready. A grant's access request must still be in force
for each range it sends (:func:`request_in_force`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from fullrecord.media import playback
from fullrecord.media.models import MediaItem

from . import copies, tasks
from .choices import RequestState
from .grants import request_for_item
from .models import AccessRequest
from .services import AccessError


def rendition_for(user, item: MediaItem) -> playback.Rendition:
    """The ready rendition of ``item`` for ``user``; raises RenditionPending while it is
    made (starting it if need be) and RenditionFailed when it cannot be made."""
    via = request_for_item(user, item)
    if via is None:
        raise playback.RenditionFailed(_("This request is not approved or its approval has ended."))
    try:
        copy, created = copies.prepare_rendition(via, item, actor=user)
    except AccessError as exc:
        raise playback.RenditionFailed(" ".join(exc.messages)) from None
    if created:
        tasks.enqueue_copy(copy)
    copy.refresh_from_db()  # an immediate task backend has made it by now
    if copy.state == "failed":
        raise playback.RenditionFailed(copy.problem or _("The watermarked copy could not be made."))
    if copy.state != "ready":
        raise playback.RenditionPending
    return playback.Rendition(
        path=Path(copies.copies_dir()) / copy.path,
        content_type=copy.content_type,
        access_request_id=via.pk,
    )


def request_in_force(now: datetime) -> Q:
    """A grant made under an access request sends bytes only while the request is approved
    and unexpired (checked at every range: a revocation stops playback at once)."""
    in_force = AccessRequest.objects.filter(
        pk=OuterRef("access_request_id"),
        requester_id=OuterRef("user_id"),
        state=RequestState.APPROVED,
        expires_at__gt=now,
    )
    return Q(access_request_id__isnull=True) | Q(Exists(in_force))
