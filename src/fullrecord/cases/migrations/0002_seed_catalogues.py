"""The starting catalogue of causes and the statutory time limits.

The administrator edits both afterwards; this only fills an empty database.
"""

from django.db import migrations

CAUSES = [
    ("illegal-occupation", "非法占地", "《土地管理法》第七十七条"),
    ("illegal-mining", "非法采矿", "《矿产资源法》"),
    ("build-before-approval", "未批先建", "《土地管理法》第七十七条"),
    ("farmland-damage", "破坏耕地", "《土地管理法》第七十五条"),
    ("illegal-transfer", "非法转让土地", "《土地管理法》第七十四条"),
    ("unauthorised-use-change", "擅自改变土地用途", "《土地管理法》第八十一条"),
    ("refuse-reclamation", "拒不履行土地复垦义务", "《土地复垦条例》"),
]

RULES = [
    # code, name, kind, days, counting, starts_at, ends_at, source
    ("decision_90", "作出行政处罚决定", "limit", 90, "calendar", "filed",
     ["decided"], "《中华人民共和国行政处罚法》第六十条"),
    ("statement_window", "当事人陈述、申辩期间", "window", 5, "working", "notified",
     [], "《中华人民共和国行政处罚法》第四十四条、第四十五条；期间按第八十五条以工作日计"),
    ("hearing_request_window", "当事人申请听证期间", "window", 5, "working", "notified",
     [], "《中华人民共和国行政处罚法》第六十四条第（一）项、第八十五条"),
    ("hearing_notice", "听证举行（提前通知）", "notice", 7, "working", "",
     ["decided"], "《中华人民共和国行政处罚法》第六十四条第（二）项、第八十五条"),
    ("service_7", "送达行政处罚决定书", "limit", 7, "working", "decided",
     ["served"], "《中华人民共和国行政处罚法》第六十一条、第八十五条"),
]


def seed(apps, schema_editor):
    Cause = apps.get_model("cases", "Cause")
    TimeLimitRule = apps.get_model("cases", "TimeLimitRule")
    if not Cause.objects.exists():
        for order, (code, name, basis) in enumerate(CAUSES):
            Cause.objects.create(code=code, name=name, legal_basis=basis, order=order)
    if not TimeLimitRule.objects.exists():
        for code, name, kind, days, counting, starts, ends, source in RULES:
            TimeLimitRule.objects.create(code=code, name=name, kind=kind, days=days,
                                         counting=counting, starts_at=starts, ends_at=ends,
                                         legal_source=source)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
