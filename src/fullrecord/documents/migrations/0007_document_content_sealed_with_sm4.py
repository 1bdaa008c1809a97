"""A document's parts (``content``) and its issued content (``frozen``) sealed with SM4:
they quote the parties' addresses and ID numbers (个人信息保护法, 密评). Existing rows are
sealed in place, a batch at a time, reading the same afterwards; rows already sealed (a
re-run after an interruption) are left as they are. The issued PDFs in the evidence
store are not touched: they stay as issued."""

import json

from django.db import migrations

import fullrecord.security.fields

BATCH = 500


def _plain(raw):
    """The stored JSON as Python (the driver may hand back text or a decoded value)."""
    return json.loads(raw) if isinstance(raw, str) else raw


def _is_sealed(value) -> bool:
    from fullrecord.security import sm4

    return isinstance(value, str) and sm4.is_sealed(value)


def _rows(connection, table):
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, content, frozen FROM {table} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                [last, BATCH],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def seal_existing(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    for pk, content, frozen in _rows(schema_editor.connection, Document._meta.db_table):
        values = {}
        for name, raw in (("content", content), ("frozen", frozen)):
            value = _plain(raw)
            if value is not None and not _is_sealed(value):
                values[name] = value  # the sealed field seals it on the way in
        if values:
            Document.objects.filter(pk=pk).update(**values)


def unseal(apps, schema_editor):
    """Back to the release before: plain JSON again (raw SQL, past the sealed field)."""
    from fullrecord.security import sm4

    connection = schema_editor.connection
    table = apps.get_model("documents", "Document")._meta.db_table
    for pk, content, frozen in _rows(connection, table):
        for name, raw in (("content", content), ("frozen", frozen)):
            value = _plain(raw)
            if _is_sealed(value):
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {table} SET {name} = %s WHERE id = %s",  # noqa: S608
                        [sm4.open_sealed(value), pk],
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0006_service_address_sealed_with_sm4"),
        ("security", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="content",
            field=fullrecord.security.fields.SealedJSONField(
                blank=True, default=dict, verbose_name="content"
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="frozen",
            field=fullrecord.security.fields.SealedJSONField(
                blank=True, default=dict, editable=False, verbose_name="issued content"
            ),
        ),
        migrations.RunPython(seal_existing, unseal, elidable=False),
    ]
