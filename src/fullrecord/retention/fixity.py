"""The fixity sweep, paced and resumable (第十八条第二项、第五项).

Each step re-hashes originals in primary-key order from where the current pass
stopped, at most ``FULLRECORD_FIXITY_MB_PER_SECOND`` and for at most ``STEP_SECONDS``,
committing its cursor after every original: a worker killed mid-pass leaves the cursor
at the last original checked, and the next step (every ten minutes, from
``fullrecord scheduler``) continues from there. Each finding goes through
``media.fixity.mark``: the item is marked, the failure recorded in the audit log and
the archivists and leaders told; the dashboard lists failing items with their cases.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fullrecord.media import fixity as media_fixity
from fullrecord.media.choices import FixityStatus
from fullrecord.media.models import MediaItem
from fullrecord.media.store import get_store

from .models import FixityRun

STEP_SECONDS = 540  # a step ends before the next is enqueued (every 10 minutes)


def current_run(*, start: bool = False) -> FixityRun | None:
    """The unfinished pass; with ``start``, a new one when none is unfinished."""
    run = FixityRun.objects.filter(finished_at__isnull=True).order_by("-started_at").first()
    if run is not None or not start:
        return run
    return FixityRun.objects.create(total=MediaItem.objects.count())


def step(
    *,
    start: bool = False,
    budget_seconds: float = STEP_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    limit: int | None = None,
) -> dict:
    """Check originals from the cursor on until the time budget or ``limit`` is spent.

    ``start`` (the daily job) begins a new pass when none is unfinished; without it (the
    job every ten minutes) only an unfinished pass is continued."""
    run = current_run(start=start)
    if run is None:
        return {"run": None, "checked": 0, "finished": True}
    if run.checked and run.touched_at < timezone.now() - timedelta(minutes=20):
        FixityRun.objects.filter(pk=run.pk).update(resumed=run.resumed + 1)
    pace = settings.FULLRECORD_FIXITY_MB_PER_SECOND * 1024 * 1024
    store = get_store()
    started = clock()
    done = 0
    while limit is None or done < limit:
        if clock() - started >= budget_seconds:
            break
        row = (
            MediaItem.objects.filter(pk__gt=run.cursor)
            .order_by("pk")
            .values_list("pk", "sha256", "size", "fixity")
            .first()
        )
        if row is None:
            orphans = media_fixity.store_keys_without_record()
            if orphans:
                media_fixity._notify_orphans(orphans)
            FixityRun.objects.filter(pk=run.pk).update(
                finished_at=timezone.now(), touched_at=timezone.now()
            )
            run.refresh_from_db()
            return {"run": run.pk, "checked": run.checked, "finished": True, "orphans": orphans}
        pk, sha256, size, previous = row
        begun = clock()
        found = media_fixity._check_one(store, sha256)
        failed = 0
        try:
            if found != previous and not (
                found == FixityStatus.INTACT and previous == FixityStatus.UNCHECKED
            ):
                media_fixity.mark(pk, found, found_by="sweep")
                failed = int(found in media_fixity.FAILED)
            else:
                MediaItem.objects.filter(pk=pk).update(
                    fixity=found, fixity_checked_at=timezone.now()
                )
        except MediaItem.DoesNotExist:
            pass  # deleted by the approved sweep meanwhile
        with transaction.atomic():
            run = FixityRun.objects.select_for_update().get(pk=run.pk)
            run.cursor = pk
            run.checked += 1
            run.bytes_checked += size
            run.failed += failed
            run.touched_at = timezone.now()
            run.total = max(run.total, run.checked)
            run.save()
        done += 1
        if pace:
            # Rate limit: the time this original should take at the pace, less what it took.
            owed = size / pace - (clock() - begun)
            if owed > 0:
                sleep(owed)
    return {"run": run.pk, "checked": run.checked, "finished": False}
