from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "fullrecord.media"
    label = "media"
    verbose_name = _("Audiovisual evidence")

    def ready(self) -> None:
        from fullrecord.audit.labels import ACTION_LABELS
        from fullrecord.core import metrics as core_metrics

        from . import (
            completeness,  # noqa: F401  (which stages expect footage)
            timeline,  # noqa: F401  (registers the case-timeline provider)
        )
        from .metrics import collect as collect_metrics
        from .signals import derived_lost, item_received
        from .tasks import queue_analysis, queue_rebuild

        item_received.connect(queue_analysis, dispatch_uid="media.queue_analysis")
        derived_lost.connect(queue_rebuild, dispatch_uid="media.queue_rebuild")
        core_metrics.register(collect_metrics)  # originals, bytes, uploads, fixity on /metrics

        ACTION_LABELS.update(
            {
                "media.fixity_failed": _("Fixity check failed"),
                "media.fixity_restored": _("Fixity restored"),
                "media.original_missing": _("Original asked for but missing"),
                "media.bind": _("Bound to its officer and task"),
                "media.unbind": _("Binding to officer and task undone"),
            }
        )
