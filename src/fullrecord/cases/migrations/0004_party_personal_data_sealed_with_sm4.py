"""Parties' ID numbers, addresses and contacts sealed with SM4 (个人信息保护法, 密评).

Existing rows are sealed in place: each plain value is read as it is stored and written
back through the sealed field, with the blind index of its ID number beside it. Rows
already sealed (a re-run after an interruption) are left as they are.
"""

from django.db import migrations, models

import fullrecord.security.fields


def seal_existing(apps, schema_editor):
    from fullrecord.security import sm4

    Party = apps.get_model("cases", "Party")
    table = Party._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, id_number, address, contact FROM {table} ORDER BY id")
        rows = cursor.fetchall()
    for pk, id_number, address, contact in rows:
        if sm4.is_sealed(id_number):
            continue
        Party.objects.filter(pk=pk).update(
            id_number=id_number or "",
            id_number_index=sm4.blind_index(id_number or ""),
            address=address or "",
            contact=contact or "",
        )


def unseal(apps, schema_editor):
    """Back to the release before: plain values again (written with raw SQL, which the
    sealed field cannot intercept)."""
    from fullrecord.security import sm4

    table = apps.get_model("cases", "Party")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, id_number, address, contact FROM {table}")
        rows = cursor.fetchall()
        for pk, *values in rows:
            plain = [sm4.open_sealed(v) if sm4.is_sealed(v) else v for v in values]
            cursor.execute(
                f"UPDATE {table} SET id_number = %s, address = %s, contact = %s WHERE id = %s",
                [*plain, pk],
            )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_case_changes'),
    ]

    operations = [
        migrations.AddField(
            model_name='party',
            name='id_number_index',
            field=models.CharField(db_index=True, default='', editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='party',
            name='address',
            field=fullrecord.security.fields.SealedTextField(blank=True, max_length=300, verbose_name='address'),
        ),
        migrations.AlterField(
            model_name='party',
            name='contact',
            field=fullrecord.security.fields.SealedTextField(blank=True, max_length=100, verbose_name='contact'),
        ),
        migrations.AlterField(
            model_name='party',
            name='id_number',
            field=fullrecord.security.fields.SealedTextField(max_length=40, verbose_name='document number'),
        ),
        migrations.RunPython(seal_existing, unseal),
    ]
