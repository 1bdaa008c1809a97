from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "fullrecord.accounts"
    label = "accounts"
    verbose_name = _("Organisation and accounts")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in/sign-out receivers)

        _name_library_models()

        from fullrecord.audit.labels import ACTION_LABELS

        ACTION_LABELS["account.email_notifications"] = _("Notifications by e-mail changed")
        ACTION_LABELS.update(
            {
                "account.created": _("Account created"),
                "account.changed": _("Account changed"),
                "account.deactivated": _("Account deactivated"),
                "account.activated": _("Account reactivated"),
                "account.unit_created": _("Unit created"),
                "account.unit_changed": _("Unit changed"),
                "account.unit_closed": _("Unit closed"),
                "account.unit_reopened": _("Unit reopened"),
            }
        )


def _name_library_models() -> None:
    """knox names its app, model and fields in plain English strings (axes translates its
    own, see the .po); the admin shows them, so they get our translated names here."""
    from django.apps import apps
    from knox.models import AuthToken

    apps.get_app_config("knox").verbose_name = _("API tokens")
    apps.get_app_config("axes").verbose_name = _("Sign-in locks")
    AuthToken._meta.verbose_name = _("API token")
    AuthToken._meta.verbose_name_plural = _("API tokens")
    for field, label in {
        "digest": _("digest"),
        "token_key": _("first characters"),
        "user": _("user"),
        "created": _("created"),
        "expiry": _("expires"),
    }.items():
        AuthToken._meta.get_field(field).verbose_name = label
