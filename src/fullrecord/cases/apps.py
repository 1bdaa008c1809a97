from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "fullrecord.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from fullrecord.audit.labels import ACTION_LABELS

        # The requirement that a stage left is complete, and its exceptions on the timeline.
        from . import completeness  # noqa: F401

        ACTION_LABELS["case.completeness_exception"] = _("Missing record explained")
