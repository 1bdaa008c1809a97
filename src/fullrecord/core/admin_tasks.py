"""后台任务 in the admin: every background task with its attempts and error, in Chinese.

django-tasks-db's own admin page is English and knows nothing of leases, so it is
replaced. A task that failed for good (its attempts used up, see core/worker.py)
is listed under the "failed" filter with its error; an administrator who has
removed the cause runs it again from here, and that is written to the audit log.
"""

from __future__ import annotations

import django_tasks_db.admin  # noqa: F401 - registered first, so it can be replaced here
from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from fullrecord.audit.services import record

from .admin import ReadOnlyAdmin
from .models import TASK_LABELS, BackgroundTask, TaskLease, WorkerHeartbeat

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(BackgroundTask)
class BackgroundTaskAdmin(ReadOnlyAdmin):
    list_display = ("enqueued_at", "task_label", "status", "attempts", "finished_at", "error")
    list_filter = ("status",)
    ordering = ["-enqueued_at"]
    actions = ["run_again"]
    fields = readonly_fields = (
        "task_label",
        "status",
        "arguments",
        "attempts",
        "workers",
        "enqueued_at",
        "started_at",
        "finished_at",
        "lease_expires_at",
        "error_in_full",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("lease")

    @staticmethod
    def _lease(obj) -> TaskLease | None:
        try:
            return obj.lease
        except TaskLease.DoesNotExist:
            return None

    @admin.display(description=pgettext_lazy("background task", "task"))
    def task_label(self, obj) -> str:
        return TASK_LABELS.get(obj.task_path, obj.task_path.rsplit(".", 1)[-1])

    @admin.display(description=pgettext_lazy("background task", "arguments"))
    def arguments(self, obj) -> str:
        args = (obj.args_kwargs or {}).get("args") or []
        kwargs = (obj.args_kwargs or {}).get("kwargs") or {}
        return ", ".join([*(str(a) for a in args), *(f"{k}={v}" for k, v in kwargs.items())])

    @admin.display(description=pgettext_lazy("background task", "attempts"))
    def attempts(self, obj) -> int:
        lease = self._lease(obj)
        return lease.attempts if lease else 0

    @admin.display(description=pgettext_lazy("background task", "workers"))
    def workers(self, obj) -> str:
        return ", ".join(obj.worker_ids or [])

    @admin.display(description=pgettext_lazy("background task", "lease expires at"))
    def lease_expires_at(self, obj):
        lease = self._lease(obj)
        if lease is None or lease.expires_at is None:
            return self.get_empty_value_display()
        return lease.expires_at

    def _error_text(self, obj) -> str:
        if obj.status == TaskResultStatus.FAILED and obj.traceback:
            return obj.traceback
        lease = self._lease(obj)
        return lease.last_error if lease else ""

    @admin.display(description=pgettext_lazy("background task", "error"))
    def error(self, obj) -> str:
        lines = self._error_text(obj).strip().splitlines()
        return lines[-1][:200] if lines else ""

    @admin.display(description=pgettext_lazy("background task", "error"))
    def error_in_full(self, obj) -> str:
        text = self._error_text(obj)
        return format_html("<pre>{}</pre>", text) if text else "-"

    def has_run_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    @admin.action(description=_("Run the selected failed tasks again"), permissions=["run"])
    def run_again(self, request, queryset) -> None:
        again = 0
        with transaction.atomic():
            for task in queryset.filter(status=TaskResultStatus.FAILED).select_for_update(
                of=("self",)
            ):
                DBTaskResult.objects.filter(pk=task.pk).update(
                    status=TaskResultStatus.READY,
                    run_after=get_date_max(),
                    finished_at=None,
                    exception_class_path="",
                    traceback="",
                )
                TaskLease.objects.filter(task_id=task.pk).update(attempts=0, expires_at=None)
                record(
                    "admin.task_run_again",
                    actor=request.user,
                    obj=task,
                    summary=f"{self.task_label(task)}: {task.pk}"[:500],
                )
                again += 1
        self.message_user(
            request,
            ngettext("%(count)d task will run again.", "%(count)d tasks will run again.", again)
            % {"count": again},
            messages.SUCCESS,
        )


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("hostname", "pid", "worker_id", "started_at", "seen_at")
    ordering = ["-seen_at"]
