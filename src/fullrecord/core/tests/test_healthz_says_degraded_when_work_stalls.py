"""/healthz reports the workers' last heartbeat and the oldest waiting task, and says
"degraded" (HTTP 200: the web serves; monitoring alerts) when either is stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from fullrecord.core.models import WorkerHeartbeat
from fullrecord.core.testing.livetasks import says_hello

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MORNING = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    settings.FULLRECORD_TASK_LEASE_SECONDS = 60
    settings.FULLRECORD_HEALTH_QUEUE_SECONDS = 900


def beat(worker_id: str = "w1") -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"hostname": "host", "pid": 1, "seen_at": timezone.now()}
    )


def health(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    return response.status_code, response.json()


@pytest.mark.django_db
def test_no_worker_at_all_is_degraded_but_still_served(client, database_tasks):
    status, body = health(client)
    assert status == 200
    assert body["status"] == "degraded"
    assert body["workers"]["problems"] == ["no worker heartbeat"]
    assert body["workers"]["last_heartbeat_seconds"] is None


@pytest.mark.django_db
def test_a_heartbeat_older_than_a_lease_is_degraded(client, database_tasks, time_machine):
    time_machine.move_to(MORNING, tick=False)
    beat()
    status, body = health(client)
    assert (status, body["status"], body["workers"]["workers_alive"]) == (200, "ok", 1)

    time_machine.shift(timedelta(seconds=60))
    assert health(client)[1]["status"] == "ok"  # exactly one lease old: still alive

    time_machine.shift(timedelta(seconds=1))
    status, body = health(client)
    assert (status, body["status"]) == (200, "degraded")
    assert body["workers"]["problems"] == ["worker heartbeat stale"]
    assert body["workers"]["last_heartbeat_seconds"] == 61
    assert body["workers"]["workers_alive"] == 0


@pytest.mark.django_db
def test_a_task_waiting_too_long_is_degraded_even_with_live_workers(
    client, database_tasks, time_machine, tmp_path
):
    time_machine.move_to(MORNING, tick=False)
    says_hello.enqueue(str(tmp_path))

    time_machine.shift(timedelta(seconds=900))
    beat()
    status, body = health(client)
    assert (status, body["status"]) == (200, "ok")
    assert body["workers"]["oldest_waiting_task_seconds"] == 900

    time_machine.shift(timedelta(seconds=1))
    beat()
    status, body = health(client)
    assert (status, body["status"]) == (200, "degraded")
    assert body["workers"]["problems"] == ["tasks waiting too long"]


@pytest.mark.django_db
def test_tasks_run_in_the_web_process_need_no_worker(client):
    status, body = health(client)
    assert (status, body["status"]) == (200, "ok")
    assert body["workers"] == {"ok": True, "needed": False}
