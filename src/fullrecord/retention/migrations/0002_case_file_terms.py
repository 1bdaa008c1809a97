"""The case-file terms a bureau starts with (永久 / 30 年 / 10 年); the administrator edits them.

The permanent term starts inactive: which causes make a case "major" is the bureau's
choice, made in the admin before switching it on.
"""

from django.db import migrations

TERMS = [
    ("处罚案件案卷（三十年）", "penalty", 30, True),
    ("未作处罚的案卷（十年）", "no_penalty", 10, True),
    ("重大、典型案件案卷（永久，选择案由后启用）", "penalty", None, False),
]


def seed(apps, schema_editor):
    CaseFileTerm = apps.get_model("retention", "CaseFileTerm")
    for name, outcome, years, active in TERMS:
        CaseFileTerm.objects.get_or_create(
            name=name, defaults={"outcome": outcome, "years": years, "active": active}
        )


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
