from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "fullrecord.documents"
    label = "documents"
    verbose_name = _("Written records")

    def ready(self) -> None:
        from . import hooks  # noqa: F401  (timeline, requirements, completeness, to-do)
