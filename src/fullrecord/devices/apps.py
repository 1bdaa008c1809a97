from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "fullrecord.devices"
    label = "devices"
    verbose_name = _("Recording devices")

    def ready(self) -> None:
        from . import hooks

        hooks.connect()
