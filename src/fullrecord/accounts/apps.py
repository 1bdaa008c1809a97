from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "fullrecord.accounts"
    label = "accounts"
    verbose_name = _("Organisation and accounts")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in/sign-out receivers)
