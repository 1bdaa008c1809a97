"""Periodic background jobs, enqueued through the tasks API by ``fullrecord scheduler``.

Any number of schedulers may run (one per worker machine): a job is enqueued only
by the one that locks its row when it is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django-tasks task
    every: timedelta


JOBS = [
    Job("expire_uploads", "fullrecord.media.tasks.expire_uploads", timedelta(hours=1)),
    Job("sign_tree_head", "fullrecord.audit.tasks.sign_tree_head_daily", timedelta(days=1)),
    Job(
        "forget_playback_grants",
        "fullrecord.media.playback.forget_expired_grants",
        timedelta(hours=6),
    ),
]


def enqueue_due(now=None) -> list[str]:
    from .models import PeriodicRun

    now = now or timezone.now()
    enqueued = []
    for job in JOBS:
        with transaction.atomic():
            run, created = PeriodicRun.objects.get_or_create(
                name=job.name, defaults={"last_enqueued_at": now - job.every}
            )
            run = PeriodicRun.objects.select_for_update().get(pk=run.pk)
            if now - run.last_enqueued_at < job.every:
                continue
            import_string(job.task).enqueue()
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            enqueued.append(job.name)
    return enqueued
