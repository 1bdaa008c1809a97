"""Database triggers that refuse to rewrite or delete an original's row by any path.

The ORM already refuses (MediaItem.save/delete and its queryset); these make a
database shell refuse too. Deleting needs a DeletionPermit row for the hash,
written by the retention sweep in the same transaction (第十八条第二项、第五项).
"""

from __future__ import annotations

from fullrecord.core.dbguards import Guard

IMMUTABLE_COLUMNS = ("sha256", "size", "original_name", "received_at", "uploaded_by_id")
UPDATE_MESSAGE = "fullrecord: the hash, size, name and receipt of an original never change"
DELETE_MESSAGE = "fullrecord: originals are deleted only by the approved retention sweep"

_changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in IMMUTABLE_COLUMNS)
_changed_sqlite = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in IMMUTABLE_COLUMNS)

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS media_item_immutable BEFORE UPDATE ON media_mediaitem
        WHEN {_changed_sqlite}
        BEGIN SELECT RAISE(ABORT, '{UPDATE_MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS media_item_no_delete BEFORE DELETE ON media_mediaitem
        WHEN NOT EXISTS (SELECT 1 FROM media_deletionpermit WHERE sha256 = OLD.sha256)
        BEGIN SELECT RAISE(ABORT, '{DELETE_MESSAGE}'); END""",  # noqa: S608 - constants only
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS media_item_immutable",
    "DROP TRIGGER IF EXISTS media_item_no_delete",
]

POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION media_item_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF {_changed} THEN RAISE EXCEPTION '{UPDATE_MESSAGE}'; END IF;
            RETURN NEW;
        ELSIF TG_OP = 'DELETE' THEN
            IF NOT EXISTS (SELECT 1 FROM media_deletionpermit WHERE sha256 = OLD.sha256) THEN
                RAISE EXCEPTION '{DELETE_MESSAGE}';
            END IF;
            RETURN OLD;
        ELSE
            RAISE EXCEPTION '{DELETE_MESSAGE}';
        END IF;
    END $$ LANGUAGE plpgsql""",  # noqa: S608 - constants only
    "DROP TRIGGER IF EXISTS media_item_guard_rows ON media_mediaitem",
    """CREATE TRIGGER media_item_guard_rows BEFORE UPDATE OR DELETE ON media_mediaitem
        FOR EACH ROW EXECUTE FUNCTION media_item_guard()""",
    "DROP TRIGGER IF EXISTS media_item_guard_truncate ON media_mediaitem",
    """CREATE TRIGGER media_item_guard_truncate BEFORE TRUNCATE ON media_mediaitem
        FOR EACH STATEMENT EXECUTE FUNCTION media_item_guard()""",
]
POSTGRES_UNINSTALL = [
    "DROP TRIGGER IF EXISTS media_item_guard_rows ON media_mediaitem",
    "DROP TRIGGER IF EXISTS media_item_guard_truncate ON media_mediaitem",
]


GUARD = Guard(
    sqlite=SQLITE_INSTALL,
    sqlite_drop=SQLITE_UNINSTALL,
    postgres=POSTGRES_INSTALL,
    postgres_drop=POSTGRES_UNINSTALL,
)
install = GUARD.install
uninstall = GUARD.uninstall
