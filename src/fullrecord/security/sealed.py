"""The registry of sealed values: every field of every installed model that holds
personal data sealed with SM4 (``SealedTextField``, ``SealedJSONField``), and the sealed
values other apps keep inside JSON of their own shape (``register_inside``).

Columns are found from the models themselves, so a field sealed tomorrow is counted by
the self-check (EP-7) and re-sealed by a key rotation (``rotation.py``) without anyone
remembering to list it here; a value that does not start with the sealed prefix is
personal data stored in plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models

from . import sm4
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
    def title(self) -> str:
        """As a reader names it: the model's and the field's names in their language."""
        return f"{self.model._meta.verbose_name}·{self.field.verbose_name}"

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

    def stale(self, kid: str, limit: int) -> list:
        """Keys of up to ``limit`` rows whose value is not sealed under key ``kid`` (sealed
        under an earlier key, or plain)."""
        table = connection.ops.quote_name(self.model._meta.db_table)
        pk = connection.ops.quote_name(self.model._meta.pk.column)
        text = self._text()
        current = f"{PREFIX}{kid}$%"
        if self.is_json:
            empty = ", ".join(["%s"] * len(EMPTY_JSON))
            where, params = f"{text} NOT IN ({empty})", [*EMPTY_JSON, f'"{current}']
        else:
            where, params = f"{text} <> ''", [current]
        sql = (
            f"SELECT {pk} FROM {table} WHERE {text} IS NOT NULL AND {where} "  # noqa: S608
            f"AND {text} NOT LIKE %s ORDER BY {pk} LIMIT {int(limit)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def reseal(self, pks: list) -> tuple[int, set[str]]:
        """Seal these rows' values again under the current key, in the caller's transaction
        (rows locked). Returns how many and the ids of the keys they were sealed under."""
        name = self.field.name
        manager = self.model._base_manager
        rows = manager.select_for_update().filter(pk__in=pks).order_by("pk")
        raw = dict(_raw_values(self, pks))
        done, kids = 0, set()
        for pk, value in rows.values_list("pk", name):
            derived = {
                index: sm4.blind_index(value or "")
                for index in BLIND_INDEXES.get((self.model._meta.label_lower, name), ())
            }
            manager.filter(pk=pk).update(**{name: value, **derived})
            kids.add(sm4.key_id_of(raw.get(pk) or "") or "plain")
            done += 1
        return done, kids


def _raw_values(column: SealedColumn, pks: list) -> list[tuple]:
    """The stored text of these rows, past the field that opens it."""
    if not pks:
        return []
    table = connection.ops.quote_name(column.model._meta.db_table)
    pk = connection.ops.quote_name(column.model._meta.pk.column)
    marks = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, {column._text()} FROM {table} WHERE {pk} IN ({marks})",  # noqa: S608
            list(pks),
        )
        return [
            (key, value.strip('"') if column.is_json and value else value)
            for key, value in cursor.fetchall()
        ]


@dataclass(frozen=True)
class SealedInside:
    """Sealed values kept inside a JSON column of another shape (e.g. the value a change of
    a party's ID number waits with): the app that keeps them says how to count and
    re-seal them."""

    label: str
    title: str
    counts: Callable[[], tuple[int, int]]
    stale: Callable[[str, int], list]
    reseal: Callable[[list], tuple[int, set[str]]]


INSIDE: list[SealedInside] = []
# (model label, sealed field) -> the blind-index columns computed from it (a rotation
# recomputes them, since the index key is derived from the same personal-data key).
BLIND_INDEXES: dict[tuple[str, str], tuple[str, ...]] = {}


def register_inside(holder: SealedInside) -> None:
    if all(item.label != holder.label for item in INSIDE):
        INSIDE.append(holder)


def register_blind_index(model: type[models.Model], field: str, index: str) -> None:
    key = (model._meta.label_lower, field)
    BLIND_INDEXES[key] = tuple(dict.fromkeys((*BLIND_INDEXES.get(key, ()), index)))


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


def holders() -> list[SealedColumn | SealedInside]:
    """Everything a rotation re-seals and the self-check counts: columns, then the rest."""
    return [*columns(), *INSIDE]
