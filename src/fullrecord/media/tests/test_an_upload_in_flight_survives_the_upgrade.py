"""Migration 0005 (the received hash on uploads) applies in place: an upload half sent
before the upgrade is finished after it, by the same client, from where it stopped."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fullrecord.media.models import MediaItem, Upload

from .tus_helpers import Tus, metadata

pytestmark = pytest.mark.usefixtures("every_app_migrated_afterwards")

BEFORE = ("media", "0003_party_prefix_index")


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_upload_half_sent_before_the_upgrade_is_finished_after_it(bureau):
    data = os.urandom(90_000)
    officer = Tus(bureau.officer)
    location = officer.create(len(data), metadata(filename="scene.mp4"))["Location"]
    assert officer.patch(location, data[:40_000], 0).status_code == 204
    try:
        _migrate([BEFORE])
        with connection.cursor() as cursor:
            columns = [
                c.name
                for c in connection.introspection.get_table_description(
                    cursor, Upload._meta.db_table
                )
            ]
        assert "sha256" not in columns  # really the old schema
    finally:
        _migrate(None)

    assert Upload.objects.get().sha256 == ""
    assert officer.head(location)["Upload-Offset"] == "40000"
    last = officer.patch(location, data[40_000:], 40_000)
    assert last.status_code == 204
    assert MediaItem.objects.get().size == len(data)
