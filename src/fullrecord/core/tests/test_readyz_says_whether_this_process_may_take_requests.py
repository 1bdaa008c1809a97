"""``/readyz`` for a load balancer: 200 when the database answers, its schema is this code's
and the store is writable; 503 with the reason otherwise. Missing workers do not make a
web process unready (that is /healthz's "degraded")."""

from __future__ import annotations

import pytest

from fullrecord.core import health


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)


@pytest.mark.django_db
def test_ready_when_database_schema_and_store_are(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert body["migrations"] == {"ok": True}
    assert body["database"]["ok"] and body["storage"]["ok"]


@pytest.mark.django_db
def test_unapplied_migrations_make_it_unready(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [("a", False), ("b", False)]
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == {"ok": False, "unapplied": 2}


@pytest.mark.django_db
def test_a_store_that_cannot_be_written_makes_it_unready(client, monkeypatch):
    monkeypatch.setattr(health, "_check_storage", lambda: {"ok": False, "error": "ENOSPC"})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["ready"] is False


@pytest.mark.django_db
def test_it_needs_no_sign_in_and_only_get(client):
    assert client.get("/readyz").status_code == 200
    assert client.post("/readyz").status_code == 405
