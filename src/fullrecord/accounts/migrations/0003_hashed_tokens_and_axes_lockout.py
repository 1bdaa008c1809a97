"""Upgrade in place: API tokens move to django-rest-knox (digest only), the session index
appears, and the hand-written sign-in lock gives way to django-axes.

DRF's ``authtoken_token`` table kept every key in plain text. Each key is carried over
as a knox digest (knox matches a presented key by its first 15 characters and its
SHA-512), so clients keep working; then the table is dropped, with its migration records,
so no key survives in the database. A carried-over token expires ``REST_KNOX TOKEN_TTL``
after the upgrade. Locks in force at the upgrade are lifted (counting starts afresh
under django-axes): the old locks were per username only.
"""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def carry_tokens_over(apps, schema_editor):
    from knox.crypto import hash_token
    from knox.settings import CONSTANTS, knox_settings

    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    AuthToken = apps.get_model("knox", "AuthToken")
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id FROM authtoken_token")
        rows = cursor.fetchall()
    expiry = timezone.now() + knox_settings.TOKEN_TTL
    for key, user_id in rows:
        AuthToken.objects.create(
            digest=hash_token(key),
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            expiry=expiry,
        )
    schema_editor.execute(schema_editor.sql_delete_table % {"table": "authtoken_token"})
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


def index_open_sessions(apps, schema_editor):
    """Sessions open at the upgrade go into the index too, so a lock can end them."""
    from importlib import import_module

    if not settings.SESSION_ENGINE.endswith(("backends.db", "backends.cached_db")):
        return
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    Session = apps.get_model("sessions", "Session")
    SignedInSession = apps.get_model("accounts", "SignedInSession")
    User = apps.get_model("accounts", "User")
    users = set(User.objects.values_list("pk", flat=True))
    for key, data in Session.objects.filter(expire_date__gt=timezone.now()).values_list(
        "session_key", "session_data"
    ):
        user_id = store.decode(data).get("_auth_user_id")
        if user_id is not None and int(user_id) in users:
            SignedInSession.objects.get_or_create(session_key=key, defaults={"user_id": user_id})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_login_throttle"),
        ("knox", "0009_extend_authtoken_field"),
        ("axes", "0010_accessattemptexpiration"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SignedInSession",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("session_key", models.CharField(max_length=40, unique=True, verbose_name="session key")),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="signed in at")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=models.deletion.CASCADE,
                        related_name="signed_in_sessions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={"verbose_name": "signed-in session", "verbose_name_plural": "signed-in sessions"},
        ),
        migrations.DeleteModel(name="LoginThrottle"),
        migrations.RunPython(carry_tokens_over, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(index_open_sessions, migrations.RunPython.noop, elidable=False),
    ]
