"""The registry of sealed columns: every field of every installed model that holds
personal data sealed with SM4 (``SealedTextField``, ``SealedJSONField``).

Found from the models themselves, so a field sealed tomorrow is counted by the
self-check (EP-7) and re-sealed by a key rotation without anyone remembering to list it
here; a value that does not start with the sealed prefix is personal data stored in
plain text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models

from .fields import SealedJSONField, SealedTextField
from .sm4 import PREFIX

# JSON that holds nothing: a new row's default, not personal data left in plain text.
EMPTY_JSON = ("{}", "[]", '""', "null")


@dataclass(frozen=True)
class SealedColumn:
    model: type[models.Model]
    field: models.Field

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field.name}"

    @property
    def is_json(self) -> bool:
        return isinstance(self.field, SealedJSONField)

    def _text(self) -> str:
        column = connection.ops.quote_name(self.field.column)
        return f"{column}::text" if self.is_json and connection.vendor == "postgresql" else column

    def counts(self) -> tuple[int, int]:
        """(values held, of which in plain text), counted in the database."""
        table = connection.ops.quote_name(self.model._meta.db_table)
        text = self._text()
        if self.is_json:
            empty = ", ".join(["%s"] * len(EMPTY_JSON))
            where, params = f"{text} IS NOT NULL AND {text} NOT IN ({empty})", list(EMPTY_JSON)
            sealed_like = f'"{PREFIX}%'
        else:
            where, params = f"{text} IS NOT NULL AND {text} <> ''", []
            sealed_like = f"{PREFIX}%"
        sql = (
            f"SELECT count(*), coalesce(sum(CASE WHEN {text} LIKE %s THEN 0 ELSE 1 END), 0) "  # noqa: S608
            f"FROM {table} WHERE {where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [sealed_like, *params])
            total, plain = cursor.fetchone()
        return int(total or 0), int(plain or 0)


def columns() -> list[SealedColumn]:
    """Every sealed column of the installed models, in a stable order."""
    found = [
        SealedColumn(model, field)
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
        for field in model._meta.concrete_fields
        if isinstance(field, SealedTextField | SealedJSONField)
    ]
    return sorted(found, key=lambda c: c.label)
