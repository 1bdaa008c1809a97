"""Seed an empty catalogue of document types (第八条; docs/documents.md lists them)."""

from django.db import migrations

# The seed lives in catalogue.py (the demo and tests name its codes). Rows added to it
# later reach existing databases only through a migration of their own.
from fullrecord.documents.catalogue import rows


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    if DocumentType.objects.exists():
        return
    DocumentType.objects.bulk_create(DocumentType(**row) for row in rows())


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
