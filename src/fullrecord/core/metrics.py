"""Prometheus metrics at ``/metrics`` (prometheus-client), protected.

Two kinds:

- **Counted in the web processes**: request latency by view and status
  (``fullrecord_http_request_duration_seconds``), bytes received by tus uploads
  (``fullrecord_upload_bytes_received_total``). Under ``fullrecord serve`` gunicorn's
  workers share them through ``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's
  multiprocess mode; ``serve`` sets it and empties it at start), so any worker's
  ``/metrics`` answers for all.
- **Read from the database at each scrape**: what holds across every process and
  machine — the task queue (waiting, oldest wait, workers alive) here, and what apps
  register with :func:`register` (media: originals and their bytes, uploads by state,
  fixity failures). A scrape costs a few indexed counts.

Access: ``FULLRECORD_METRICS_TOKEN`` (``Authorization: Bearer <token>``) or a client
address in ``FULLRECORD_METRICS_ALLOW`` (networks, e.g. ``10.0.0.0/8``); neither set,
everyone is refused (403). Behind a proxy on the same machine every client's address is
the proxy's: use the token there.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUEST_SECONDS = Histogram(
    "fullrecord_http_request_duration_seconds",
    "Time to answer a request (to the first byte of a streamed body), by view and status.",
    ["method", "view", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
UPLOAD_BYTES = Counter(
    "fullrecord_upload_bytes_received_total",
    "Bytes of tus PATCH bodies accepted (204) by this site's web processes.",
)

Source = Callable[[], Iterable[GaugeMetricFamily]]
_SOURCES: list[Source] = []


def register(source: Source) -> None:
    """An app's figures read from the database at each scrape (from its ``ready()``)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def observe_request(method: str, view: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(method, view, str(status)).observe(seconds)


def tasks() -> Iterable[GaugeMetricFamily]:
    """The background queue: what waits, how long the oldest has waited, workers alive."""
    from django_tasks_db.models import DBTaskResult

    from .models import WorkerHeartbeat

    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    waiting = GaugeMetricFamily("fullrecord_tasks_waiting", "Background tasks ready to run.")
    waiting.add_metric([], ready.count())
    yield waiting
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = GaugeMetricFamily(
        "fullrecord_tasks_oldest_waiting_seconds",
        "How long the oldest ready task has waited (0 when none waits).",
    )
    age.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
    yield age
    lease = timedelta(seconds=settings.FULLRECORD_TASK_LEASE_SECONDS)
    alive = GaugeMetricFamily(
        "fullrecord_workers_alive", "Task workers with a heartbeat within one lease."
    )
    alive.add_metric([], WorkerHeartbeat.objects.filter(seen_at__gte=now - lease).count())
    yield alive


register(tasks)


class DatabaseCollector(Collector):
    def collect(self) -> Iterable[GaugeMetricFamily]:
        for source in _SOURCES:
            yield from source()


def registry() -> CollectorRegistry:
    """This process's metrics, or every web process's under multiprocess mode, with the
    database figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        found = CollectorRegistry()
        multiprocess.MultiProcessCollector(found)
    else:
        found = CollectorRegistry()
        found.register(_Default())
    found.register(DatabaseCollector())
    return found


class _Default(Collector):
    """The process-wide registry (this process's counters, process and GC figures)."""

    def collect(self):
        return REGISTRY.collect()


def allowed(request: HttpRequest) -> bool:
    token = settings.FULLRECORD_METRICS_TOKEN
    if token:
        keyword, _, given = request.headers.get("Authorization", "").partition(" ")
        if keyword == "Bearer" and given and constant_time_compare(given.strip(), token):
            return True
    networks = settings.FULLRECORD_METRICS_ALLOW
    if networks:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(net, strict=False) for net in networks)
    return False


@never_cache
@require_GET
def view(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        return HttpResponse(
            "Forbidden: metrics need FULLRECORD_METRICS_TOKEN or an allowed address.\n",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
