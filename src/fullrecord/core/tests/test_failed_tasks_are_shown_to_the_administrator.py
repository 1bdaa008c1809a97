"""A task that failed for good is listed, in Chinese, with its attempts and its error, in
the admin's 后台任务; only a superuser may run it again, and that is audited."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fullrecord.audit.models import AuditEntry
from fullrecord.core.models import TaskLease
from fullrecord.media.tasks import analyse_media

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/core/backgroundtask/"


@pytest.fixture
def failed_task(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = analyse_media.enqueue(41)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="fullrecord.core.worker.TaskProcessDied",
        traceback="fullrecord.core.worker.TaskProcessDied: the task's process was killed by SIGKILL\n",
    )
    TaskLease.objects.create(task_id=result.id, worker_id="w2", attempts=3)
    return DBTaskResult.objects.get(pk=result.id)


@pytest.fixture
def superuser_client(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="pw", full_name="root")
    client.force_login(root)
    return client


def test_a_failed_task_is_listed_with_its_attempts_and_error_in_chinese(
    superuser_client, failed_task
):
    page = superuser_client.get(CHANGELIST, {"status__exact": "FAILED"}).content.decode()
    assert "后台任务" in page
    assert "媒体分析" in page
    assert "失败" in page
    assert "killed by SIGKILL" in page
    assert '<td class="field-attempts">3</td>' in page

    detail = superuser_client.get(f"{CHANGELIST}{failed_task.pk}/change/").content.decode()
    assert "已尝试次数" in detail
    assert "TaskProcessDied" in detail


def test_the_english_page_of_django_tasks_db_is_gone(superuser_client):
    response = superuser_client.get("/admin/django_tasks_database/dbtaskresult/")
    assert response.status_code == 404


def test_running_it_again_gives_it_fresh_attempts_and_is_recorded(superuser_client, failed_task):
    response = superuser_client.post(
        CHANGELIST, {"action": "run_again", "_selected_action": [str(failed_task.pk)]}
    )
    assert response.status_code == 302
    failed_task.refresh_from_db()
    assert failed_task.status == TaskResultStatus.READY
    assert TaskLease.objects.get(task_id=failed_task.pk).attempts == 0
    entry = AuditEntry.objects.get(action="admin.task_run_again")
    assert entry.actor.username == "root"
    assert entry.object_id == str(failed_task.pk)


def test_a_staff_member_who_is_not_a_superuser_cannot_run_it_again(
    client, django_user_model, failed_task
):
    from django.contrib.auth.models import Permission

    staff = django_user_model.objects.create_user(
        "clerk", password="pw", full_name="clerk", is_staff=True
    )
    staff.user_permissions.add(Permission.objects.get(codename="view_backgroundtask"))
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == 200  # may look
    client.post(CHANGELIST, {"action": "run_again", "_selected_action": [str(failed_task.pk)]})
    failed_task.refresh_from_db()
    assert failed_task.status == TaskResultStatus.FAILED
    assert not AuditEntry.objects.filter(action="admin.task_run_again").exists()
