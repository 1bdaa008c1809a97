"""Database triggers that make the audit log append-only for every client, a shell included.

A database owner can still drop them; that is why the log is also hash-chained and
signed, and ``fullrecord verify`` catches what a determined owner might do.
"""

from __future__ import annotations

from fullrecord.core.dbguards import Guard

TABLES = ("audit_auditentry", "audit_signedtreehead")
MESSAGE = "fullrecord: the audit log is append-only"

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{op} BEFORE {op.upper()} ON {table}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for table in TABLES
    for op in ("update", "delete")
]
SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {t}_no_{op}" for t in TABLES for op in ("update", "delete")
]

POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$ LANGUAGE plpgsql""",
    *[
        sql
        for table in TABLES
        for sql in (
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
        )
    ],
]
POSTGRES_UNINSTALL = [
    sql
    for table in TABLES
    for sql in (
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    )
]


GUARD = Guard(
    sqlite=SQLITE_INSTALL,
    sqlite_drop=SQLITE_UNINSTALL,
    postgres=POSTGRES_INSTALL,
    postgres_drop=POSTGRES_UNINSTALL,
)
install = GUARD.install
uninstall = GUARD.uninstall
