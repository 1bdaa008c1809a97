from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "fullrecord.security"
    label = "security"
    verbose_name = _("Security (等保 and 密评)")

    def ready(self) -> None:
        from datetime import timedelta

        from fullrecord.audit.labels import ACTION_LABELS, register_fields
        from fullrecord.core.periodic import JOBS, Job
        from fullrecord.media.signals import item_received

        from . import checks, guards  # noqa: F401  (registers the system checks)
        from .tasks import queue_sm3

        guards.connect()
        item_received.connect(queue_sm3, dispatch_uid="security.queue_sm3")
        if not any(job.name == "sm3_sweep" for job in JOBS):
            JOBS.append(
                Job(
                    "sm3_sweep",
                    "fullrecord.security.tasks.sm3_sweep",
                    timedelta(days=1),
                    every_setting="FULLRECORD_FIXITY_SWEEP_HOURS",
                )
            )
            JOBS.append(
                Job(
                    "sm2_cosign",
                    "fullrecord.security.tasks.cosign_tree_heads",
                    timedelta(minutes=10),
                )
            )
        register_fields(
            {
                "method": _("HTTP method"),
                "path": _("Requested address"),
                "http_status": _("HTTP status"),
                "request_id": _("Request id"),
                "token": _("API token"),
            }
        )
        if apps.is_installed("fullrecord.supervision"):
            from fullrecord.supervision.findings import count_as_refused

            # The inspection team's refused-access findings (第十七条) list them too.
            count_as_refused("security.refused", "security.request_refused")
        ACTION_LABELS.update(
            {
                "security.refused": _("Refused"),
                "security.data_key_resealed": _("Personal data re-sealed under a new key"),
                "security.data_key_rotated": _("Personal-data key rotation run"),
                "security.request_refused": _("Request refused"),
                "security.role_granted": _("Role granted"),
                "security.role_revoked": _("Role taken away"),
                "security.policy_changed": _("Security policy changed"),
                "security.password_changed": _("Password changed"),
                "security.password_reset": _("Password reset"),
                "security.otp_enrolled": _("One-time-code device enrolled"),
                "security.otp_reset": _("One-time-code devices removed"),
                "security.otp_failed": _("Wrong one-time code"),
                "security.personal_data_shown": _("Personal data shown in full"),
                "security.sm3_computed": _("SM3 digest computed"),
                "security.sm3_failed": _("SM3 check failed"),
                "security.sm3_restored": _("SM3 check passed again"),
                "security.admins_created": _("Administrators created"),
                "security.idle_signout": _("Signed out after idle time"),
            }
        )
