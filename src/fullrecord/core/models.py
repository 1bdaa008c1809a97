from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tasks_db.models import DBTaskResult


class PeriodicRun(models.Model):
    """When a periodic job was last enqueued; the row lock keeps schedulers on several
    machines from enqueuing it twice."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_enqueued_at:%Y-%m-%d %H:%M}"


class TaskLease(models.Model):
    """Who runs a background task, until when, and how many times it has been tried.

    django-tasks-db marks a claimed task RUNNING and nothing more: a worker killed
    mid-task leaves it RUNNING for good. ``fullrecord worker`` renews this lease while
    the task runs; any worker takes a task whose lease ran out (see core/worker.py).
    """

    task = models.OneToOneField(
        "django_tasks_database.DBTaskResult",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="lease",
        verbose_name=pgettext_lazy("background task", "task"),
    )
    worker_id = models.CharField(pgettext_lazy("background task", "worker"), max_length=64)
    attempts = models.PositiveIntegerField(pgettext_lazy("background task", "attempts"), default=0)
    # Null when no one runs it (finished, or waiting for its next attempt).
    expires_at = models.DateTimeField(
        pgettext_lazy("background task", "lease expires at"), null=True, db_index=True
    )
    last_error = models.TextField(pgettext_lazy("background task", "last error"), blank=True)

    class Meta:
        verbose_name = _("task lease")
        verbose_name_plural = _("task leases")

    def __str__(self) -> str:
        return f"{self.task_id} × {self.attempts}"


class WorkerHeartbeat(models.Model):
    """A running ``fullrecord worker``: /healthz reads when each was last seen."""

    worker_id = models.CharField(
        pgettext_lazy("background task", "worker"), max_length=64, unique=True
    )
    hostname = models.CharField(pgettext_lazy("background task", "host"), max_length=255)
    pid = models.PositiveIntegerField(pgettext_lazy("background task", "process id"))
    started_at = models.DateTimeField(
        pgettext_lazy("background task", "started at"), default=timezone.now
    )
    seen_at = models.DateTimeField(
        pgettext_lazy("background task", "last seen at"), default=timezone.now, db_index=True
    )

    class Meta:
        verbose_name = pgettext_lazy("background task", "worker")
        verbose_name_plural = pgettext_lazy("background task", "workers")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


# What each task is called where people see it (the admin's 后台任务).
TASK_LABELS = {
    "fullrecord.media.tasks.analyse_media": _("Media analysis"),
    "fullrecord.media.tasks.expire_uploads": _("Expiring unfinished uploads"),
    "fullrecord.media.tasks.sweep": _("Sweep of unqueued work and leftover files"),
    "fullrecord.audit.tasks.sign_tree_head_daily": _("Daily signing of the audit log"),
    "fullrecord.access.tasks.make_copy": _("Watermarked copy"),
}


class BackgroundTask(DBTaskResult):
    """django-tasks-db's task rows, shown in the admin in Chinese with their lease."""

    class Meta:
        proxy = True
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")

    def __str__(self) -> str:
        return f"{TASK_LABELS.get(self.task_path, self.task_name)} {str(self.pk)[:8]}"
