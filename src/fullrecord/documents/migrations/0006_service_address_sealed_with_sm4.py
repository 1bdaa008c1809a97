"""Where a party was served (送达地址) sealed with SM4, as the party's own address is
(个人信息保护法, 密评). Existing rows are sealed in place; rows already sealed (a re-run
after an interruption) are left as they are."""

from django.db import migrations

import fullrecord.security.fields


def seal_existing(apps, schema_editor):
    from fullrecord.security import sm4

    Service = apps.get_model("documents", "Service")
    table = Service._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, address FROM {table} ORDER BY id")  # noqa: S608
        rows = cursor.fetchall()
    for pk, address in rows:
        if address and not sm4.is_sealed(address):
            Service.objects.filter(pk=pk).update(address=address)


def unseal(apps, schema_editor):
    """Back to the release before: plain values again (raw SQL, past the sealed field)."""
    from fullrecord.security import sm4

    table = apps.get_model("documents", "Service")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, address FROM {table}")  # noqa: S608
        for pk, address in cursor.fetchall():
            if address and sm4.is_sealed(address):
                cursor.execute(
                    f"UPDATE {table} SET address = %s WHERE id = %s",  # noqa: S608
                    [sm4.open_sealed(address), pk],
                )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_approval_sheet_filed"),
        ("security", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="service",
            name="address",
            field=fullrecord.security.fields.SealedTextField(
                blank=True, max_length=300, verbose_name="address or channel"
            ),
        ),
        migrations.RunPython(seal_existing, unseal),
    ]
