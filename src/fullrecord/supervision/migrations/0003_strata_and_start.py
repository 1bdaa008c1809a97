"""Strata and sizes per stratum; the plan's start fixes the seed (issue 13).

Plans of the previous release are stratified by section with their one size for every
section (the new fields' defaults say exactly that), so their draws re-draw unchanged.
Their seed was fixed at the first draw: it stays, and whoever drew first is recorded as
having started the plan. Sampled strata, section ids until now, are kept as their text.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def started_by_first_drawer(apps, schema_editor):
    Plan = apps.get_model("supervision", "InspectionPlan")
    Draw = apps.get_model("supervision", "SampleDraw")
    for plan in Plan.objects.exclude(seed="").filter(started_by__isnull=True):
        first = Draw.objects.filter(plan_id=plan.pk).order_by("number").first()
        if first is not None:
            Plan.objects.filter(pk=plan.pk).update(started_by_id=first.drawn_by_id)


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0002_seed_rubric'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='inspectionplan',
            name='case_strata',
            field=models.CharField(choices=[('section', 'By section'), ('cause', 'By case type')], default='section', max_length=10, verbose_name='case files stratified'),
        ),
        migrations.AddField(
            model_name='inspectionplan',
            name='footage_strata',
            field=models.CharField(choices=[('section', 'By section'), ('source', 'By footage source (device)')], default='section', max_length=10, verbose_name='footage stratified'),
        ),
        migrations.AddField(
            model_name='inspectionplan',
            name='started_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='started by'),
        ),
        migrations.AddField(
            model_name='inspectionplan',
            name='stratum_sizes',
            field=models.JSONField(blank=True, default=dict, verbose_name='sample size per stratum'),
        ),
        migrations.AlterField(
            model_name='inspectionplan',
            name='cases_per_stratum',
            field=models.PositiveIntegerField(default=0, verbose_name='case files per stratum not listed'),
        ),
        migrations.AlterField(
            model_name='inspectionplan',
            name='footage_per_stratum',
            field=models.PositiveIntegerField(default=0, verbose_name='footage items per stratum not listed'),
        ),
        migrations.AlterField(
            model_name='inspectionplan',
            name='state',
            field=models.CharField(choices=[('draft', 'Draft'), ('active', 'Started'), ('closed', 'Closed')], default='draft', max_length=10, verbose_name='state'),
        ),
        migrations.AlterField(
            model_name='sampleentry',
            name='stratum',
            field=models.CharField(max_length=60, verbose_name='stratum'),
        ),
        migrations.RunPython(started_by_first_drawer, migrations.RunPython.noop),
    ]
