from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0004_playback_grant"),
    ]

    operations = [
        migrations.AddField(
            model_name="upload",
            name="sha256",
            field=models.CharField(
                blank=True, max_length=64, verbose_name="SHA-256 of the received bytes"
            ),
        ),
    ]
