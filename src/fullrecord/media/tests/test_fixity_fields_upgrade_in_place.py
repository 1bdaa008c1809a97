"""The fixity columns are added to a database that already holds evidence, in place.

Existing records start as "not yet checked" (the first sweep or verify checks them),
and the guard triggers that refuse deleting originals survive the migration.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError

from fullrecord.media.models import MediaItem


def _fixity_migration(executor: MigrationExecutor) -> tuple[tuple[str, str], tuple[str, str]]:
    """This migration and the one before it, whatever number the merge gives them."""
    [node] = [key for key in executor.loader.graph.nodes if key[1].endswith("_fixity_status")]
    parents = executor.loader.graph.node_map[node].parents
    [parent] = [parent.key for parent in parents if parent.key[0] == "media"]
    return node, parent


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_records_gain_an_unchecked_fixity_and_keep_their_guards(
    bureau, every_app_migrated_afterwards
):
    executor = MigrationExecutor(connection)
    node, parent = _fixity_migration(executor)
    executor.migrate([parent])
    old = MigrationExecutor(connection).loader.project_state([parent]).apps
    old.get_model("media", "MediaItem").objects.create(
        sha256="ab" * 32,
        size=3,
        original_name="old.mp4",
        uploaded_by_id=bureau.officer.pk,
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([node])
    # The apps whose migrations depend on this one were taken out with it: back in.
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    item = MediaItem.objects.get(sha256="ab" * 32)
    assert (item.fixity, item.fixity_checked_at, item.fixity_failed_at) == ("unchecked", None, None)
    assert item.derived_requested_at is None
    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM media_mediaitem WHERE id = %s", [item.pk])
