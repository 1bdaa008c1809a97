"""``/metrics`` answers the scraper (its bearer token, or an allowed address) and refuses
everyone else, signed in or not, whatever their role; what it shows is real."""

from __future__ import annotations

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from fullrecord.core.testing.personas import PERSONAS
from fullrecord.media.tests.evidence import ingest_bytes

TOKEN = "scrape-7f3c9a1e4b2d"


def samples(body: bytes) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


@pytest.mark.django_db
def test_nothing_configured_refuses_everyone(client, settings):
    settings.FULLRECORD_METRICS_TOKEN = ""
    settings.FULLRECORD_METRICS_ALLOW = []
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    ["", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Token {TOKEN}", TOKEN, "Bearer"],
)
def test_a_wrong_token_is_refused(client, settings, authorization):
    settings.FULLRECORD_METRICS_TOKEN = TOKEN
    response = client.get("/metrics", headers={"Authorization": authorization})
    assert response.status_code == 403
    assert b"fullrecord_" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_persona_opens_it_with_a_session(bureau, settings, persona):
    settings.FULLRECORD_METRICS_TOKEN = TOKEN
    client = Client()
    client.force_login(getattr(bureau, persona))
    assert client.get("/metrics").status_code == 403


@pytest.mark.django_db
def test_an_allowed_network_is_let_in_and_others_not(settings):
    settings.FULLRECORD_METRICS_ALLOW = ["10.20.0.0/16"]
    assert Client(REMOTE_ADDR="10.20.3.4").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.21.3.4").get("/metrics").status_code == 403
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 403


@pytest.mark.django_db
def test_the_scraper_sees_originals_bytes_uploads_tasks_and_latency(client, bureau, settings):
    settings.FULLRECORD_METRICS_TOKEN = TOKEN
    ingest_bytes(bureau.officer, b"x" * 1000, "a.bin")
    ingest_bytes(bureau.officer, b"y" * 500, "b.bin")
    client.get("/healthz")

    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    found = samples(response.content)
    assert sum(v for (n, _l), v in found.items() if n == "fullrecord_originals") == 2
    assert sum(v for (n, _l), v in found.items() if n == "fullrecord_originals_bytes") == 1500
    assert found[("fullrecord_fixity_failures", (("finding", "altered"),))] == 0
    assert ("fullrecord_tasks_waiting", ()) in found
    assert ("fullrecord_workers_alive", ()) in found
    assert any(
        n == "fullrecord_http_request_duration_seconds_count" and dict(labels)["view"] == "healthz"
        for (n, labels) in found
    )
    assert ("fullrecord_upload_bytes_received_total", ()) in found
