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

from django.db import connection
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


def _in_force_params(now: datetime) -> list:
    return [RequestState.APPROVED, connection.ops.adapt_datetimefield_value(now)]


# A grant made under an access request sends bytes only while the request is approved and
# unexpired: checked at every range, so a revocation stops playback at once. (SQL on the
# grant row ``g``: media/playback.py runs it inside its one query per range.)
REQUEST_IN_FORCE = playback.LiveCondition(
    # A table name from the model; the values are parameters.
    sql=f"""g.access_request_id IS NULL OR EXISTS (SELECT 1 FROM {AccessRequest._meta.db_table} r
    WHERE r.id = g.access_request_id AND r.requester_id = g.user_id
    AND r.state = %s AND r.expires_at > %s)""",  # noqa: S608
    params=_in_force_params,
)
