"""0003_clip_range on a database of the previous release: a clip asked for then kept its
range only in the devices app's ClipRequest; the upgrade puts it on the access request, so
copies made under it from now on hold only the clip."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fullrecord.access.models import AccessRequest
from fullrecord.devices import services as device_services
from fullrecord.media.models import MediaItem
from fullrecord.media.tests.evidence import ingest_bytes

pytestmark = pytest.mark.usefixtures("every_app_migrated_afterwards")

BEFORE = [("access", "0002_request_bureau")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clip_request_of_the_previous_release_gets_its_range():
    from fullrecord.core.testing.personas import build_bureau

    bureau = build_bureau()
    item = ingest_bytes(bureau.officer, b"footage of the previous release", "DSJ_7.mp4").item
    MediaItem.objects.filter(pk=item.pk).update(duration=30.0)
    item.refresh_from_db()
    clip = device_services.request_clip(
        item, actor=bureau.officer, start=5.0, end=12.5, reason="复议举证"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # the previous release: the request has no range of its own
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    request = AccessRequest.objects.get(pk=clip.access_request_id)
    assert (request.clip_start, request.clip_end) == (5.0, 12.5)
