"""Statuses that change in the background (analysis, copies being made) ask again by
themselves while they may change, and stop once final; no reload, no timing in tests."""

from __future__ import annotations

from fullrecord.audit.models import AuditEntry
from fullrecord.media.models import MediaItem

from .evidence import ingest_bytes


def test_a_record_being_analysed_polls_its_status_and_stops_when_done(bureau, client):
    item = ingest_bytes(bureau.officer, b"bytes being analysed", "analysing.jpg").item
    MediaItem.objects.filter(pk=item.pk).update(status="pending")
    client.force_login(bureau.officer)

    page = client.get(f"/media/{item.pk}/").content.decode()
    assert f'hx-get="/media/{item.pk}/status/"' in page and 'hx-trigger="every 5s"' in page

    views_before = AuditEntry.objects.filter(action="media.view").count()
    pending = client.get(f"/media/{item.pk}/status/").content.decode()
    assert "hx-trigger" in pending
    MediaItem.objects.filter(pk=item.pk).update(status="ready")
    done = client.get(f"/media/{item.pk}/status/").content.decode()
    assert "hx-trigger" not in done and 'data-testid="media-status"' in done
    # Asking for the status is not a view of the record.
    assert AuditEntry.objects.filter(action="media.view").count() == views_before


def test_the_status_of_a_record_out_of_reach_is_the_same_404(bureau, client):
    item = ingest_bytes(bureau.other_officer, b"someone else's", "other.jpg").item
    client.force_login(bureau.officer)

    assert client.get(f"/media/{item.pk}/status/").status_code == 404
