"""Media's figures for ``/metrics`` (core/metrics.py), read from the database at each scrape:
the same in every process and on every machine."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Sum
from prometheus_client.core import GaugeMetricFamily

from .choices import FixityStatus
from .models import MediaItem, Upload


def collect() -> Iterable[GaugeMetricFamily]:
    kinds = GaugeMetricFamily(
        "fullrecord_originals", "Originals kept in the evidence store, by kind.", labels=["kind"]
    )
    stored = GaugeMetricFamily(
        "fullrecord_originals_bytes", "Bytes of the originals kept, by kind.", labels=["kind"]
    )
    for row in MediaItem.objects.values("kind").annotate(n=Count("id"), size=Sum("size")):
        kinds.add_metric([row["kind"] or "other"], row["n"])
        stored.add_metric([row["kind"] or "other"], row["size"] or 0)
    yield kinds
    yield stored
    uploads = GaugeMetricFamily(
        "fullrecord_uploads", "tus uploads known, by state.", labels=["state"]
    )
    for row in Upload.objects.values("state").annotate(n=Count("id")):
        uploads.add_metric([row["state"]], row["n"])
    yield uploads
    failed = GaugeMetricFamily(
        "fullrecord_fixity_failures",
        "Originals whose last fixity check failed, by finding (altered, missing).",
        labels=["finding"],
    )
    found = dict(
        MediaItem.objects.filter(fixity__in=[FixityStatus.ALTERED, FixityStatus.MISSING])
        .values_list("fixity")
        .annotate(n=Count("id"))
    )
    for finding in (FixityStatus.ALTERED, FixityStatus.MISSING):
        failed.add_metric([finding.value], found.get(finding.value, 0))
    yield failed
