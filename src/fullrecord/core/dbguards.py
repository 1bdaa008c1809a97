"""Installing database triggers per vendor: the apps say what, this says how."""

from __future__ import annotations

from collections.abc import Sequence


class Guard:
    """Trigger SQL for SQLite and PostgreSQL, installed by a migration, lifted only for
    emptying test databases (and by tests that play a database owner tampering)."""

    def __init__(
        self,
        *,
        sqlite: Sequence[str],
        sqlite_drop: Sequence[str],
        postgres: Sequence[str],
        postgres_drop: Sequence[str],
    ) -> None:
        self.sql = {
            "sqlite": (list(sqlite), list(sqlite_drop)),
            "postgresql": (list(postgres), list(postgres_drop)),
        }

    def _run(self, connection, install: bool) -> None:
        statements = self.sql.get(connection.vendor, ([], []))[0 if install else 1]
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def install(self, connection) -> None:
        self._run(connection, True)

    def uninstall(self, connection) -> None:
        self._run(connection, False)
