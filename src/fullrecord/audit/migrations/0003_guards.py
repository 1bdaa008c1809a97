from django.db import migrations


def install(apps, schema_editor):
    from fullrecord.audit import guards

    guards.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from fullrecord.audit import guards

    guards.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_merkle_tree")]
    operations = [migrations.RunPython(install, uninstall)]
