from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "fullrecord.retention"
    label = "retention"
    verbose_name = _("Retention and long-term holds")

    def ready(self) -> None:
        from fullrecord.audit.labels import ACTION_LABELS
        from fullrecord.core import periodic, todo

        from . import hooks, timeline  # noqa: F401  (keep-until hooks, case-timeline provider)
        from .todo import waiting_for

        todo.provider(waiting_for)
        ACTION_LABELS.update(
            {
                "retention.hold": _("Long-term hold placed"),
                "retention.release_asked": _("Release of a hold asked"),
                "retention.released": _("Long-term hold released"),
                "retention.release_refused": _("Release of a hold refused"),
                "retention.sweep_listed": _("Deletion sweep listed"),
                "retention.sweep_approved": _("Deletion sweep approved"),
                "retention.sweep_cancelled": _("Deletion sweep cancelled"),
                "retention.certificate": _("Deletion certificate"),
                "retention.recomputed": _("Keep-until dates recomputed"),
                "retention.term_added": _("Case-file term added"),
                "retention.term_changed": _("Case-file term changed"),
                "retention.term_deactivated": _("Case-file term deactivated"),
                "retention.term_activated": _("Case-file term put back in force"),
                "retention.certificate_download": _("Deletion certificate downloaded"),
                "retention.export": _("Case file exported to disc"),
                "retention.export_failed": _("Case file export failed"),
                "retention.export_download": _("Case file disc image downloaded"),
                "media.deleted": _("Original deleted by the approved sweep"),
            }
        )
        names = {job.name for job in periodic.JOBS}
        if "retention_due" not in names:
            periodic.JOBS.append(
                periodic.Job(
                    "retention_due", "fullrecord.retention.tasks.run_due", timedelta(days=1)
                )
            )
        # The paced, resumable fixity sweep takes the place of the one-go daily sweep: the
        # daily job (same name, same setting) starts a pass, and a job every ten minutes
        # continues an unfinished one, after a restart too.
        for index, job in enumerate(periodic.JOBS):
            if job.name == "fixity_sweep":
                periodic.JOBS[index] = periodic.Job(
                    "fixity_sweep",
                    "fullrecord.retention.tasks.fixity_start",
                    job.every,
                    every_setting=job.every_setting,
                )
        if "fixity_continue" not in names:
            periodic.JOBS.append(
                periodic.Job(
                    "fixity_continue",
                    "fullrecord.retention.tasks.fixity_step",
                    timedelta(minutes=10),
                )
            )
