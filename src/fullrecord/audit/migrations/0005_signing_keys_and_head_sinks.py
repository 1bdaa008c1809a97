from django.db import migrations, models
import django.utils.timezone


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_head_signed_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="SigningKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key_id", models.CharField(max_length=64, unique=True, verbose_name="key id")),
                ("public_key", models.CharField(max_length=64, verbose_name="public key")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="first used")),
                ("retired_at", models.DateTimeField(blank=True, null=True, verbose_name="retired")),
                ("successor_key_id", models.CharField(blank=True, max_length=64, verbose_name="replaced by")),
                ("successor_signature", models.CharField(blank=True, max_length=128)),
            ],
            options={
                "verbose_name": "audit signing key",
                "verbose_name_plural": "audit signing keys",
                "ordering": ["created_at"],
            },
        ),
        migrations.CreateModel(
            name="HeadSinkState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sink", models.CharField(max_length=300, unique=True, verbose_name="destination")),
                ("delivered_size", models.PositiveBigIntegerField(default=0, verbose_name="delivered up to tree size")),
                ("delivered_at", models.DateTimeField(blank=True, null=True, verbose_name="last delivered")),
                ("last_attempt_at", models.DateTimeField(blank=True, null=True, verbose_name="last attempt")),
                ("failures", models.PositiveIntegerField(default=0, verbose_name="failures in a row")),
                ("last_error", models.CharField(blank=True, max_length=500, verbose_name="last error")),
            ],
            options={
                "verbose_name": "tree-head destination",
                "verbose_name_plural": "tree-head destinations",
            },
        ),
    ]
