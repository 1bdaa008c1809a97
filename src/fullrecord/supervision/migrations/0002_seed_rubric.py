"""The rubric the inspection team starts with; they edit it on /supervision/rubric/."""

from django.db import migrations

# kind, label, guidance, max score, yes/no question, pre-filled from, order
RUBRIC = [
    ("case", "全过程记录完整性", "各阶段均有文字或音像记录（第十一条、第十八条第一项）", 25, False, "records", 10),
    ("case", "必备文书齐全", "各阶段必备文书齐全、规范（第八条、第十条）", 20, False, "documents", 20),
    ("case", "程序合法", "执法人员不少于两人并出示执法证件，程序步骤完整（第十条）", 20, False, "officers", 30),
    ("case", "认定事实与适用法律", "事实清楚、证据确凿、适用法律正确", 20, False, "", 40),
    ("case", "办案时限", "各环节在法定期限内完成", 15, False, "time_limits", 50),
    ("footage", "到达现场即开始记录", "自到达现场开始记录（第九条）", 20, True, "", 10),
    ("footage", "记录连续完整", "记录连续、无中断（第九条第二至五项）", 30, True, "continuous", 20),
    ("footage", "告知当事人正在记录", "已告知当事人全程记录（第九条）", 20, True, "notice", 30),
    ("footage", "执法行为合法规范", "用语文明、行为规范、程序合法", 30, True, "", 40),
]


def seed(apps, schema_editor):
    RubricItem = apps.get_model("supervision", "RubricItem")
    for kind, label, guidance, max_score, is_check, check, order in RUBRIC:
        RubricItem.objects.get_or_create(
            kind=kind,
            label=label,
            defaults={
                "guidance": guidance,
                "max_score": max_score,
                "is_check": is_check,
                "machine_check": check,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
