"""Recording sessions: consecutive segments of one device (第九条第三项: 连续录制，不得间断).

A body camera splits one continuous recording into segments of a few minutes.
A *segment* here is an item with a device number and a duration; it spans
``[start, start + duration]`` where ``start`` is the recording start the
device wrote into the file (``device_recorded_at``), or the time of use when
the file carried none. Segments of one device, sorted by start, form a session
as long as each one begins no later than ``FULLRECORD_SESSION_BREAK_MINUTES``
after everything before it ended and the officer does not change (a camera
handed to a colleague starts the colleague's session). Within a session, a gap
longer than ``FULLRECORD_SEGMENT_GAP_SECONDS`` is an interruption: the
segment after it is flagged ``interrupted`` with the gap in ``gap_before``,
and the session counts it. The first segment of a session has no gap.

Items arrive in any order (a docking station may deliver segment 3 before
segment 2) and may be re-placed after a correction, so placing one item
recomputes its neighbourhood — its old session, the sessions of the segments
just before and after it and of those it overlaps — from scratch. The result
depends only on the segments, never on the order they came in, and placing
the same item twice changes nothing. Sessions are derived data: they can be
rebuilt at any time (``fullrecord sessions --rebuild``).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from .models import MediaItem, RecordingSession

log = logging.getLogger(__name__)

# Rows locked around an item while its neighbourhood is recomputed, so that two
# workers placing neighbouring segments take turns. No body camera records a
# single session longer than this (batteries last a shift).
LOCK_WINDOW = timedelta(days=1)


def gap_tolerance() -> float:
    return float(settings.FULLRECORD_SEGMENT_GAP_SECONDS)


def session_break() -> float:
    return float(settings.FULLRECORD_SESSION_BREAK_MINUTES) * 60


def segment_start(item: MediaItem) -> datetime:
    """Where a segment begins: the device's own stamp, else the time of use."""
    return item.device_recorded_at or item.used_at


def is_segment(item: MediaItem) -> bool:
    return bool(item.device_number) and item.duration is not None and item.duration >= 0


def _with_start(qs: QuerySet[MediaItem]) -> QuerySet[MediaItem]:
    return qs.annotate(segment_start=Coalesce(F("device_recorded_at"), F("used_at")))


def _segments(device_number: str) -> QuerySet[MediaItem]:
    return _with_start(
        MediaItem.objects.filter(device_number=device_number, duration__isnull=False)
    )


def _clusters(segments: list[MediaItem]) -> list[list[tuple[MediaItem, float | None]]]:
    """Split one device's segments into sessions; each segment with its gap before."""
    tolerance_break = session_break()
    ordered = sorted(segments, key=lambda s: (segment_start(s), s.pk))
    clusters: list[list[tuple[MediaItem, float | None]]] = []
    ended: datetime | None = None
    officer_id: int | None = None
    for seg in ordered:
        start = segment_start(seg)
        end = start + timedelta(seconds=seg.duration or 0)
        gap = None if ended is None else (start - ended).total_seconds()
        handed_over = bool(officer_id and seg.officer_id and seg.officer_id != officer_id)
        if gap is None or gap > tolerance_break or handed_over:
            clusters.append([(seg, None)])
            ended = end
            officer_id = seg.officer_id
        else:
            # Overlapping segments (a clock set back, a re-encoded copy) are not a gap.
            clusters[-1].append((seg, round(max(gap, 0.0), 3)))
            ended = max(ended, end)
            officer_id = officer_id or seg.officer_id
    return clusters


def _regroup(
    members: Iterable[MediaItem], reusable: Iterable[RecordingSession]
) -> dict[int, RecordingSession | None]:
    """Recompute sessions for ``members``, reusing the given session rows where they fit.

    Returns each member's session (None for items that are not segments). Session
    rows of ``reusable`` left without a segment are deleted: they are derived data.
    """
    tolerance = gap_tolerance()
    members = {m.pk: m for m in members}
    pool = {s.pk: s for s in reusable}
    by_device: dict[str, list[MediaItem]] = defaultdict(list)
    result: dict[int, RecordingSession | None] = {}
    for item in members.values():
        if is_segment(item):
            by_device[item.device_number].append(item)
        else:
            result[item.pk] = None
    changed: list[MediaItem] = []
    used: set[int] = set()
    for device, segments in sorted(by_device.items()):
        for cluster in _clusters(segments):
            # Keep the row most of the cluster already points at, so ids stay stable.
            votes = Counter(
                seg.session_id
                for seg, _gap in cluster
                if seg.session_id in pool
                and seg.session_id not in used
                and pool[seg.session_id].device_number == device
            )
            if votes:
                best = min(votes, key=lambda pk: (-votes[pk], pk))
                session = pool[best]
            else:
                session = RecordingSession(device_number=device)
            _describe(session, cluster, tolerance)
            session.save()
            used.add(session.pk)
            for seg, gap in cluster:
                result[seg.pk] = session
                interrupted = gap is not None and gap > tolerance
                if (seg.session_id, seg.gap_before, seg.interrupted) != (
                    session.pk,
                    gap,
                    interrupted,
                ):
                    seg.session_id, seg.gap_before, seg.interrupted = session.pk, gap, interrupted
                    changed.append(seg)
    for item in members.values():
        if result.get(item.pk) is None and (
            item.session_id is not None or item.gap_before is not None or item.interrupted
        ):
            item.session_id, item.gap_before, item.interrupted = None, None, False
            changed.append(item)
    if changed:
        MediaItem.objects.bulk_update(changed, ["session_id", "gap_before", "interrupted"])
    leftover = [pk for pk in pool if pk not in used]
    if leftover:
        # Only rows no item points at any more: a session of another item we did not lock
        # is never removed from under it.
        RecordingSession.objects.filter(pk__in=leftover, segments__isnull=True).delete()
    return result


def _describe(
    session: RecordingSession, cluster: list[tuple[MediaItem, float | None]], tolerance: float
) -> None:
    starts = [segment_start(seg) for seg, _gap in cluster]
    ends = [segment_start(seg) + timedelta(seconds=seg.duration or 0) for seg, _gap in cluster]
    officers = Counter(seg.officer_id for seg, _gap in cluster if seg.officer_id)
    session.started_at = min(starts)
    session.ended_at = max(ends)
    session.segment_count = len(cluster)
    session.interruption_count = sum(
        1 for _seg, gap in cluster if gap is not None and gap > tolerance
    )
    session.officer_id = min(officers, key=lambda pk: (-officers[pk], pk)) if officers else None


def _lock(condition: Q) -> list[MediaItem]:
    """Lock matching items in primary-key order (one global order: no deadlocks)."""
    return list(
        _with_start(MediaItem.objects.select_for_update(of=("self",)).filter(condition)).order_by(
            "pk"
        )
    )


def place_in_session(item: MediaItem) -> RecordingSession | None:
    """Put ``item`` into its recording session and recompute the sessions around it.

    Idempotent and independent of arrival order. Items without a device number
    or a duration belong to no session (and leave the one they were in).
    """
    for _attempt in range(3):
        current = _with_start(MediaItem.objects.filter(pk=item.pk)).first()
        if current is None:
            return None
        with transaction.atomic():
            placed = _place_locked(current)
        if placed is not _MOVED:
            return placed
    log.warning("item %s kept moving while being placed; rebuild its device", item.pk)
    return None


_MOVED = object()


def _place_locked(seen: MediaItem):
    start = segment_start(seen)
    end = start + timedelta(seconds=seen.duration or 0)
    condition = Q(pk=seen.pk)
    if seen.device_number:
        condition |= Q(
            device_number=seen.device_number,
            device_recorded_at__isnull=False,
            device_recorded_at__gte=start - LOCK_WINDOW,
            device_recorded_at__lte=end + LOCK_WINDOW,
        ) | Q(
            device_number=seen.device_number,
            device_recorded_at__isnull=True,
            used_at__gte=start - LOCK_WINDOW,
            used_at__lte=end + LOCK_WINDOW,
        )
    if seen.session_id:
        condition |= Q(session_id=seen.session_id)
    locked = {m.pk: m for m in _lock(condition)}
    item = locked.get(seen.pk)
    if item is None:
        return None
    if (
        item.device_number != seen.device_number
        or segment_start(item) != start
        or item.duration != seen.duration
    ):
        return _MOVED  # the window locked is not this item's any more: look again
    # Its session may have changed meanwhile (a neighbour was placed): what follows reads
    # everything afresh under the lock, and locks any member outside the window too.

    session_ids: set[int] = {item.session_id} if item.session_id else set()
    members: dict[int, MediaItem] = {item.pk: item}
    if is_segment(item):
        segments = _segments(item.device_number).exclude(pk=item.pk)
        before = (
            segments.filter(Q(segment_start__lt=start) | Q(segment_start=start, pk__lt=item.pk))
            .order_by("-segment_start", "-pk")
            .first()
        )
        after = (
            segments.filter(Q(segment_start__gt=start) | Q(segment_start=start, pk__gt=item.pk))
            .order_by("segment_start", "pk")
            .first()
        )
        # Everything starting while this one runs (or within the break after it) may
        # now join it, and with it everything those are joined to.
        covered = list(
            segments.filter(
                segment_start__gte=start,
                segment_start__lte=end + timedelta(seconds=session_break()),
            )
        )
        for neighbour in [before, after, *covered]:
            if neighbour is None:
                continue
            members.setdefault(neighbour.pk, neighbour)
            if neighbour.session_id:
                session_ids.add(neighbour.session_id)
    if session_ids:
        for member in _with_start(MediaItem.objects.filter(session_id__in=session_ids)):
            members.setdefault(member.pk, member)
    # Rows outside the lock window (a session longer than a day) are locked now too.
    extra = [pk for pk in members if pk not in locked]
    if extra:
        for member in _lock(Q(pk__in=extra)):
            members[member.pk] = member
    reusable = list(
        RecordingSession.objects.select_for_update().filter(pk__in=session_ids).order_by("pk")
    )
    return _regroup(members.values(), reusable).get(item.pk)


def rebuild_device(device_number: str) -> int:
    """Recompute every session of one device from its segments; returns the session count."""
    with transaction.atomic():
        members = _lock(
            Q(device_number=device_number, duration__isnull=False)
            | Q(session__device_number=device_number)
        )
        # An item whose device number was corrected leaves this device's sessions here and
        # is placed with its new device afterwards.
        strays = [m for m in members if m.device_number != device_number]
        own = [m for m in members if m.device_number == device_number]
        for stray in strays:
            stray.device_number = ""  # regrouped as a non-segment: detached
        reusable = list(
            RecordingSession.objects.select_for_update()
            .filter(device_number=device_number)
            .order_by("pk")
        )
        placed = _regroup([*own, *strays], reusable)
        RecordingSession.objects.filter(device_number=device_number, segments__isnull=True).delete()
    for stray in strays:
        place_in_session(stray)
    return len({s.pk for s in placed.values() if s is not None})


def devices_with_sessions() -> list[str]:
    numbers = set(
        MediaItem.objects.filter(duration__isnull=False)
        .exclude(device_number="")
        .values_list("device_number", flat=True)
        .distinct()
    )
    numbers |= set(RecordingSession.objects.values_list("device_number", flat=True).distinct())
    return sorted(numbers)


def rebuild(device_number: str | None = None) -> dict[str, int]:
    """Rebuild the sessions of one device, or of every device; session count per device."""
    devices = [device_number] if device_number is not None else devices_with_sessions()
    counts = {device: rebuild_device(device) for device in devices}
    if device_number is None:
        RecordingSession.objects.filter(segments__isnull=True).delete()
    return counts
