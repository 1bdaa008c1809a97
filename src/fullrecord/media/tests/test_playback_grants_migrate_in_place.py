"""0004_playback_grant adds its table to a database in use, and can be taken back out."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fullrecord.media.models import MediaItem

from .evidence import ingest_bytes

pytestmark = pytest.mark.usefixtures("every_app_migrated_afterwards")

BEFORE = [("media", "0003_party_prefix_index")]


def tables() -> set[str]:
    return set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_grant_table_is_added_beside_existing_records():
    from fullrecord.core.testing.personas import build_bureau

    bureau = build_bureau()
    item = ingest_bytes(bureau.officer, b"kept across the migration", "kept.mp4").item
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    assert "media_playbackgrant" not in tables()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert "media_playbackgrant" in tables()
    kept = MediaItem.objects.get(pk=item.pk)
    assert (kept.sha256, kept.size) == (item.sha256, item.size)
