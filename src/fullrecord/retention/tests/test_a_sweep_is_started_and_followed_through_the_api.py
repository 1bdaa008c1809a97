"""第十八条第五项 through the API: an archivist or the leader in charge starts a sweep
(``POST /api/retention-sweeps/``) listing what fell due, as the daily job lists it; a
second is refused while one of the bureau is open; ``GET /api/retention-sweeps/{id}``
shows its progress and what it lists; two different people approve, as on the page."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import RoleGrant
from fullrecord.core.testing.personas import PERSONAS
from fullrecord.media.models import MediaItem
from fullrecord.media.tests.evidence import ingest_bytes
from fullrecord.retention.choices import SweepState
from fullrecord.retention.models import Sweep

pytestmark = pytest.mark.django_db

STARTERS = {"archivist", "leader"}
READERS = {"archivist", "leader", "inspector"}


@pytest.fixture
def old_footage(bureau, settings, empty_store):
    """Three routine records received seven months ago, linked to no case: fallen due."""
    settings.FULLRECORD_RETENTION_GRACE_DAYS = 0  # the grace period has its own tests
    with time_machine.travel(timezone.now() - timedelta(days=215), tick=False):
        return [
            ingest_bytes(bureau.officer, os.urandom(2048), f"日常巡查_{n}.mp4").item
            for n in range(3)
        ]


def _start(api_client, user):
    api_client.force_authenticate(user)
    return api_client.post("/api/retention-sweeps/")


def test_the_archivist_starts_a_sweep_and_reads_what_it_lists(bureau, api_client, old_footage):
    started = _start(api_client, bureau.archivist)

    assert started.status_code == 201, started.json()
    body = api_client.get(f"/api/retention-sweeps/{started.json()['id']}").json()
    assert body["state"] == SweepState.LISTED
    assert {i["sha256"] for i in body["items"]} == {i.sha256 for i in old_footage}
    assert body["progress"] | {"not_before": None} == {
        "step": "listed",
        "approvals": 0,
        "awaiting": ["archivist", "leader"],
        "not_before": None,
        "listed": 3,
        "listed_bytes": 3 * 2048,
        "pending": 3,
        "deleted": 0,
        "kept": 0,
        "bytes_removed": 0,
        "percent": 0,
    }
    assert MediaItem.objects.count() == 3  # listing deletes nothing


def test_a_second_sweep_is_refused_while_the_first_is_open(bureau, api_client, client, old_footage):
    first = _start(api_client, bureau.archivist).json()

    again = _start(api_client, bureau.leader)
    client.force_login(bureau.archivist)
    page = client.post(reverse("retention:propose"))

    assert again.status_code == 409
    assert again.json()["number"] == first["number"]
    assert page.status_code == 302 and page.url == f"/retention/sweeps/{first['id']}/"
    assert Sweep.objects.count() == 1


def test_a_cancelled_sweep_no_longer_stands_in_the_way(bureau, api_client, old_footage):
    from fullrecord.retention import services

    first = Sweep.objects.get(pk=_start(api_client, bureau.leader).json()["id"])
    services.cancel(first, actor=bureau.leader, reason="重新核对")

    second = _start(api_client, bureau.archivist)

    assert second.status_code == 201
    assert second.json()["proposed_by"] == str(bureau.archivist)


def test_two_different_people_approve_and_the_progress_shows_the_deletion(
    bureau, api_client, old_footage, django_capture_on_commit_callbacks
):
    sweep = _start(api_client, bureau.archivist).json()
    url = f"/api/retention-sweeps/{sweep['id']}/approve"

    first = api_client.post(url)
    twice = api_client.post(url)
    api_client.force_authenticate(bureau.leader)
    with django_capture_on_commit_callbacks(execute=True):
        second = api_client.post(url)

    assert first.status_code == 200 and first.json()["progress"]["awaiting"] == ["leader"]
    assert twice.status_code == 400
    assert "另一人" in str(twice.json())  # the API answers in the site's language
    assert second.status_code == 200
    progress = api_client.get(f"/api/retention-sweeps/{sweep['id']}").json()["progress"]
    assert progress["step"] == SweepState.DONE
    assert (progress["deleted"], progress["bytes_removed"], progress["percent"]) == (3, 3, 100)
    assert MediaItem.objects.count() == 0


def test_one_person_holding_both_roles_cannot_give_both_approvals(bureau, api_client, old_footage):
    RoleGrant.objects.create(user=bureau.archivist, role=Role.LEADER)
    sweep = _start(api_client, bureau.archivist).json()
    url = f"/api/retention-sweeps/{sweep['id']}/approve"

    assert api_client.post(url).status_code == 200
    refused = api_client.post(url)

    assert refused.status_code == 400
    assert Sweep.objects.get().state == SweepState.LISTED
    assert MediaItem.objects.count() == 3


def _each_persona(bureau, api_client, call) -> dict[str, int]:
    """``call`` as every persona and anonymous, each in a savepoint undone after it."""
    answers = {}
    for name in [*PERSONAS, "anonymous"]:
        with transaction.atomic():
            api_client.force_authenticate(None if name == "anonymous" else getattr(bureau, name))
            answers[name] = call().status_code
            transaction.set_rollback(True)
    return answers


def test_role_matrix_of_the_sweep_api(bureau, api_client, old_footage):
    start = _each_persona(bureau, api_client, lambda: api_client.post("/api/retention-sweeps/"))
    sweep = Sweep.objects.get(pk=_start(api_client, bureau.archivist).json()["id"])
    read = _each_persona(
        bureau, api_client, lambda: api_client.get(f"/api/retention-sweeps/{sweep.pk}")
    )
    approve = _each_persona(
        bureau, api_client, lambda: api_client.post(f"/api/retention-sweeps/{sweep.pk}/approve")
    )

    for name in PERSONAS:
        assert start[name] == (201 if name in STARTERS else 400), name
        assert read[name] == (200 if name in READERS else 404), name
        assert approve[name] == (200 if name in STARTERS else 400 if name in READERS else 404), name
    assert start["anonymous"] == read["anonymous"] == approve["anonymous"] == 401
    assert Sweep.objects.get().archivist_approval_by is None


def test_the_sweep_api_is_in_the_openapi_schema(api_client, bureau):
    api_client.force_authenticate(bureau.archivist)
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    paths = schema["paths"]
    assert "post" in paths["/api/retention-sweeps/"]
    assert (
        "get" in paths["/api/retention-sweeps/{id}/"]
        or "get" in paths["/api/retention-sweeps/{id}"]
    )
    assert any(p.startswith("/api/retention-sweeps/{id}/approve") for p in paths)
    assert "post" in paths["/api/retention-terms/"]
